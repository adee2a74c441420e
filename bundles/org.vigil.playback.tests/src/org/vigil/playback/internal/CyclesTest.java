package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.vigil.testing.Await;
import org.vigil.testing.ProcessProbe;

/**
 * Seed S3: stopping playback releases its pipeline, bus listeners and files at once, so that open/play/stop cycles
 * leave threads, open files and memory flat. The 1,000-cycle soak is {@code releng/bench/playback.sh}.
 */
class CyclesTest extends PlaybackTestBase {
    static final int CYCLES = 100;
    static final int WARM_UP = 30;
    static final int FD_SLACK = 2;
    /** GLib's thread pool keeps a few idle threads for up to 15 s. */
    static final int THREAD_SLACK = 4;
    static final long RSS_SLACK_MIB = 20;

    @Test
    void hundredOpenPlayStopCyclesKeepThreadsFilesAndMemoryFlat() throws Exception {
        String camera = cameraWithRun("cycles");
        PlaybackServiceImpl impl = (PlaybackServiceImpl) service;
        Cycles.Result r = Cycles.run(impl, camera, Library.BASE.plusMillis(1_000), CYCLES, WARM_UP, 10);
        String table = r.table();
        System.out.println(table);
        Files.writeString(Media.target().resolve("playback-cycles.txt"), table);
        assertEquals(0, r.notReleased(), "every stop released its session at once");
        assertEquals(0, impl.openSessions(), "no session left open");
        Cycles.Reading base = r.at(WARM_UP);
        for (Cycles.Reading x : r.readings()) {
            if (x.cycle() >= WARM_UP) {
                assertTrue(x.fds() - base.fds() <= 2 * FD_SLACK, "open files grew:\n" + table);
                assertTrue(x.threads() - base.threads() <= 2 * THREAD_SLACK, "threads grew:\n" + table);
            }
        }
        assertTrue(r.last().rssMiB() - base.rssMiB() < RSS_SLACK_MIB, "RSS grew by more than " + RSS_SLACK_MIB
                + " MiB after the warm-up:\n" + table);
        assertTrue(Await.until(Duration.ofSeconds(5), () -> ProcessProbe.openFileDescriptors() - base.fds()
                <= FD_SLACK), "open files after the last cycle: " + ProcessProbe.openFileDescriptors());
        assertTrue(Await.until(Duration.ofSeconds(20), () -> ProcessProbe.threads() - base.threads()
                <= THREAD_SLACK), "threads after the last cycle: " + ProcessProbe.threads());
    }
}
