package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.command.Bytes;
import org.vigil.api.command.CommandException;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.storage.internal.Format;
import org.vigil.storage.internal.RetentionPreviewService;
import org.vigil.storage.internal.cli.StorageCommand;
import org.vigil.testing.Invocation;

/**
 * A retention change that would delete more than a little of a camera (more than 10 % of its recordings or more than
 * a day of them) is shown with what would go and applied only with {@code --yes}; a small one applies at once. The
 * catalog holds real recordings; the command is the storage's own {@code vigil storage retention}, and the preview
 * service is what {@code vigil config set retention.*} asks.
 */
class RetentionChangeTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    private static List<Segment> all(Fixture f, String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(86400))
                .withLimit(10_000)).items();
    }

    private static void settle(Fixture f) throws Exception {
        f.store.runNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aLimitThatDeletesMuchIsShownAndAppliedOnlyWithYes() throws Exception {
        Path dir = TestDirs.fresh("retention-change");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            long size = Files.size(Media.get(Media.FRAGMENTED));
            Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
            f.bulk("front", t, 12, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.bulk("back", t, 12, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            StorageCommand command = new StorageCommand(f.store, f.store, f.store);

            Invocation refused = new Invocation(false, "retention", "--camera", "front", "--max-size", "1");
            CommandException e = assertThrows(CommandException.class, () -> command.execute(refused));
            assertTrue(e.getMessage().startsWith("Nothing was changed") && e.getMessage().contains("--yes"),
                    e.getMessage());
            String shown = refused.output();
            assertTrue(shown.contains("front: 12 recordings, " + Bytes.text(12 * size) + " (100 % of its"), shown);
            assertTrue(shown.contains("from " + Format.time(t, Fixture.ZONE) + " to "
                    + Format.time(t.plus(Duration.ofMinutes(12)), Fixture.ZONE)), shown);
            assertFalse(shown.contains("back"), "only the camera whose limits change: " + shown);
            settle(f);
            assertEquals(12, all(f, "front").size(), "nothing was deleted without --yes");
            assertTrue(f.store.cameraLimits().isEmpty(), "and the limit was not set");

            Invocation yes = Invocation.run(command, false, "retention", "--camera", "front", "--max-size", "1",
                    "--yes");
            assertEquals(0, yes.exitCode, yes.errors());
            assertTrue(yes.output().contains("Retention deletes now:") && yes.output().contains("front: 12 recordings"),
                    yes.output());
            settle(f);
            assertEquals(0, all(f, "front").size(), "with --yes the limit applies");
            assertEquals(12, all(f, "back").size(), "the other camera keeps its recordings");
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aSmallChangeAppliesAtOnceAndSaysWhatGoes() throws Exception {
        Path dir = TestDirs.fresh("retention-change");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            long size = Files.size(Media.get(Media.FRAGMENTED));
            Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
            f.bulk("side", t, 12, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            StorageCommand command = new StorageCommand(f.store, f.store, f.store);
            // one of twelve (8 %, 1 minute) goes: a little
            Invocation r = Invocation.run(command, false, "retention", "--camera", "side", "--max-size",
                    String.valueOf(11 * size + size / 2));
            assertEquals(0, r.exitCode, r.errors());
            assertTrue(r.output().contains("side: 1 recording, " + Bytes.text(size)), r.output());
            settle(f);
            List<Segment> left = all(f, "side");
            assertEquals(11, left.size());
            assertEquals(t.plus(Duration.ofMinutes(1)), left.get(0).start(), "the oldest went");
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void moreThanADayOfRecordingNeedsYesEvenWhenItIsASmallShare() throws Exception {
        Path dir = TestDirs.fresh("retention-change");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            Instant t = Instant.now().minus(Duration.ofHours(301)).truncatedTo(ChronoUnit.SECONDS);
            f.bulk("yard", t, 300, Duration.ofHours(1), Duration.ZERO, Media.FRAGMENTED);
            StorageCommand command = new StorageCommand(f.store, f.store, f.store);
            // keeping 274 hours deletes the oldest 27 hours: 9 % of the camera, but more than a day
            Invocation refused = new Invocation(false, "retention", "--camera", "yard", "--max-age", "11d10h");
            assertThrows(CommandException.class, () -> command.execute(refused));
            assertTrue(refused.output().contains("yard: 27 recordings"), refused.output());
            assertTrue(refused.output().contains("(9 % of its"), refused.output());
            settle(f);
            assertEquals(300, all(f, "yard").size());

            Invocation yes = Invocation.run(command, false, "retention", "--camera", "yard", "--max-age", "11d10h",
                    "--yes");
            assertEquals(0, yes.exitCode, yes.errors());
            settle(f);
            assertEquals(273, all(f, "yard").size());
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void theSettingsPreviewShowsWhatNewDefaultsWouldDelete() throws Exception {
        Path dir = TestDirs.fresh("retention-change");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            long size = Files.size(Media.get(Media.FRAGMENTED));
            Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
            f.bulk("lobby", t, 12, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.bulk("dock", t, 12, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.store.setCameraLimits("dock", new org.vigil.api.storage.CameraLimits(java.util.Optional.empty(),
                    java.util.OptionalLong.of(100 * size)));
            RetentionPreviewService preview = new RetentionPreviewService(f.store);

            // what 'vigil config set retention.maxBytesPerCamera=1' asks: dock has its own size limit and keeps all
            Map<String, Object> big = preview.apply(Map.of("maxBytesPerCamera", 1L, "minFreeDiskPercent", 10));
            assertEquals(Boolean.TRUE, big.get("large"));
            List<?> lines = (List<?>) big.get("lines");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).toString().startsWith("lobby: 12 recordings, " + Bytes.text(12 * size)),
                    lines.toString());

            Map<String, Object> small = preview.apply(Map.of("maxBytesPerCamera", 11 * size + size / 2));
            assertEquals(Boolean.FALSE, small.get("large"));
            assertEquals(1, ((List<?>) small.get("lines")).size());
            assertEquals(Boolean.FALSE, preview.apply(Map.of("maxAgeDays", 30)).get("large"));
            assertTrue(((List<?>) preview.apply(Map.of()).get("lines")).isEmpty(), "no limits delete nothing");
            assertEquals(12, all(f, "lobby").size(), "a preview deletes nothing");
        }
        TestDirs.deleteTree(dir);
    }
}
