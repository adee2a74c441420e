package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobState;
import org.vigil.api.playback.ExportReport;
import org.vigil.api.playback.ExportRequest;
import org.vigil.api.playback.PlaybackException;
import org.vigil.playback.internal.media.RecordingFile;
import org.vigil.testing.Await;
import org.vigil.testing.Invocation;

/** Clip export across segments without re-encoding: ffprobe reads it, its duration is the range's within a GOP. */
class ExportTest extends PlaybackTestBase {
    static final double GOP_SECONDS = GOP_FRAMES / (double) Media.FPS;

    @InjectBundleContext
    BundleContext context;

    @Test
    void aClipAcrossSegmentsPassesFfprobeAndLastsTheRange() throws Exception {
        String camera = cameraWithRun("export");
        Path out = Media.work("export").resolve("clip.mp4");
        Instant from = Library.BASE.plusMillis(1_500);
        Instant to = Library.BASE.plusMillis(10_000);
        List<JobProgress> progress = Collections.synchronizedList(new ArrayList<>());
        Job<ExportReport> job = service.export(new ExportRequest(camera, from, to, out, false));
        job.onProgress(j -> progress.add(j.progress()));
        ExportReport r = Await.result(job.result(), WAIT);
        assertEquals(JobState.SUCCEEDED, job.state());
        assertEquals(out, r.file());
        assertEquals(3, r.segments(), "taken from the three segments the range spans");
        assertEquals(Library.BASE.plusSeconds(1), r.firstFrame(), "from the keyframe before the start");
        assertEquals(to, r.end());
        assertEquals(225, r.frames());
        assertTrue(r.notes().isEmpty(), r.notes().toString());

        FFprobe.Result probe = FFprobe.countFrames(out);
        assertTrue(probe.clean(), "ffprobe reads and decodes the clip without an error: " + probe);
        assertTrue(probe.out().contains("codec_name=h264"), probe.out());
        assertTrue(probe.out().contains("nb_read_frames=225"), probe.out());
        double duration = FFprobe.duration(out);
        double range = Duration.between(from, to).toMillis() / 1000.0;
        assertTrue(Math.abs(duration - range) <= GOP_SECONDS + 0.001, "duration " + duration + " s is within one GOP"
                + " of the range's " + range + " s");
        assertTrue(duration >= range, "the clip covers the whole range");
        assertFalse(progress.isEmpty());
        JobProgress lastProgress = job.progress();
        assertEquals("done", lastProgress.phase());
        assertEquals(r.bytes(), lastProgress.done());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "only the clip, no temporary file");
        }

        // the clip plays through Vigil's own reader too (frame count and keyframes)
        try (RecordingFile f = RecordingFile.open(out)) {
            assertEquals(225, f.samples().count());
            assertEquals(9_000_000_000L, f.samples().end(), 1_000_000);
        }
        assertThrows(PlaybackException.class, () -> service.export(new ExportRequest(camera, from, to, out, false)),
                "an existing file is not replaced unless asked");
    }

    @Test
    void aClipOverAGapLeavesTheGapOutAndSaysSo() throws Exception {
        String camera = cameraWithRuns("exportgap", Duration.ofSeconds(6));
        Path out = Media.work("exportgap").resolve("gap.mp4");
        Instant from = Library.BASE.plusSeconds(10);
        Instant to = Library.BASE.plusSeconds(21);
        ExportReport r = Await.result(service.export(new ExportRequest(camera, from, to, out, false)).result(), WAIT);
        assertEquals(Duration.ofSeconds(5), r.duration(), "2 s before the gap and 3 s after it");
        assertEquals(1, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().get(0).startsWith("No recording from"), r.notes().get(0));
        assertEquals(5.0, FFprobe.duration(out), 0.05);
        assertTrue(FFprobe.countFrames(out).clean());
    }

    @Test
    void cancellingLeavesNothingBehind() throws Exception {
        String camera = cameraWithRun("exportcancel");
        Path dir = Media.work("exportcancel");
        Path out = dir.resolve("cancelled.mp4");
        // the task itself, cancelled after 60 frames: the cancel is checked for every frame
        ExportRequest request = new ExportRequest(camera, Library.BASE, Library.BASE.plusSeconds(12), out, false);
        AtomicInteger checks = new AtomicInteger();
        JobContext ctx = new JobContext() {
            @Override
            public boolean isCancelled() {
                return checks.incrementAndGet() > 60;
            }

            @Override
            public void progress(String phase, long done, long total, String unit, long itemsDone, long itemsTotal) {
            }

            @Override
            public void message(String message) {
            }
        };
        ClipExporter exporter;
        try (RecordingFile f = RecordingFile.open(library.await(camera, 3).get(0).path())) {
            exporter = new ClipExporter(((PlaybackServiceImpl) service).gst(), ((PlaybackServiceImpl) service)
                    .recordings(), request, f.track(), 0, 3);
        }
        assertThrows(CancellationException.class, () -> exporter.run(ctx));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "no clip and no temporary file after a cancel");
        }
        // and through the job runner: cancel at the first progress report
        Job<ExportReport> job = service.export(request);
        job.onProgress(j -> {
            if (j.progress().phase().equals("exporting")) {
                j.cancel();
            }
        });
        assertTrue(job.await(WAIT));
        if (job.state() == JobState.CANCELLED) {
            assertFalse(Files.exists(out));
        } else {
            assertEquals(JobState.SUCCEEDED, job.state(), "a clip this short may be done before the cancel");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
        }
    }

    @Test
    void aClipIsNeverWrittenUnderAnotherContainersName() throws Exception {
        String camera = cameraWithRun("exportname");
        Path dir = Media.work("exportname");
        Path mkv = dir.resolve("clip.mkv");
        PlaybackException e = assertThrows(PlaybackException.class, () -> service.export(new ExportRequest(camera,
                Library.BASE, Library.BASE.plusSeconds(2), mkv, false)));
        assertEquals("Camera " + camera + " records H.264, which is exported as MP4: name the clip clip.mp4 rather"
                + " than clip.mkv. Nothing was written.", e.getMessage());
        assertFalse(Files.exists(mkv), "no file was written");
        // another ending of the same container, or a name without a video ending, is the user's choice
        Path mov = dir.resolve("clip.MOV");
        Await.result(service.export(new ExportRequest(camera, Library.BASE, Library.BASE.plusSeconds(2), mov, false))
                .result(), WAIT);
        assertEquals(2.0, FFprobe.duration(mov), 0.1);
    }

    @Test
    void aRangeWithoutRecordingIsRefusedWithASentence() throws Exception {
        String camera = cameraWithRun("exportnone");
        Path out = Media.work("exportnone").resolve("none.mp4");
        PlaybackException e = assertThrows(PlaybackException.class, () -> service.export(new ExportRequest(camera,
                Library.BASE.plusSeconds(100), Library.BASE.plusSeconds(200), out, false)));
        assertTrue(e.getMessage().startsWith("Camera " + camera + " has no recording between"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExportRequest(camera, Library.BASE, Library.BASE, out,
                false));
        PlaybackException folder = assertThrows(PlaybackException.class, () -> service.export(new ExportRequest(camera,
                Library.BASE, Library.BASE.plusSeconds(2), out.getParent().resolve("no").resolve("x.mp4"), false)));
        assertTrue(folder.getMessage().contains("does not exist"), folder.getMessage());
    }

    private VigilCommand command(String name) throws Exception {
        for (ServiceReference<VigilCommand> r : context.getServiceReferences(VigilCommand.class, null)) {
            VigilCommand c = context.getService(r);
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no command " + name);
    }

    @Test
    void theExportAndSnapshotCommands() throws Exception {
        String camera = cameraWithRun("exportcmd");
        Path cwd = Media.work("exportcmd");
        String from = LocalDateTime.ofInstant(Library.BASE.plusSeconds(2), ZoneId.systemDefault()).toString();
        String to = LocalDateTime.ofInstant(Library.BASE.plusSeconds(7), ZoneId.systemDefault()).toString();
        VigilCommand export = command("export");
        Invocation inv = new Invocation(cwd, false, "--camera", camera, "--from", from, "--to", to, "--out",
                "clip.mp4");
        assertEquals(0, export.execute(inv), inv.err.toString());
        assertTrue(inv.out.toString().startsWith("Exported 5.0 s of camera " + camera), inv.out.toString());
        Path clip = cwd.resolve("clip.mp4");
        assertTrue(FFprobe.countFrames(clip).clean());
        assertEquals(5.0, FFprobe.duration(clip), GOP_SECONDS);

        Invocation json = new Invocation(cwd, true, "--camera", camera, "--from", from, "--to", to, "--out",
                "clip.mp4", "--overwrite");
        assertEquals(0, export.execute(json));
        assertTrue(json.out.toString().contains("\"frames\": 125"), json.out.toString());

        CommandException exists = assertThrows(CommandException.class, () -> export.execute(new Invocation(cwd, false,
                "--camera", camera, "--from", from, "--to", to, "--out", "clip.mp4")));
        assertTrue(exists.getMessage().contains("exists"), exists.getMessage());
        CommandException usage = assertThrows(CommandException.class, () -> export.execute(new Invocation(cwd, false,
                "--camera", camera, "--from", "yesterday-ish", "--to", to, "--out", "x.mp4")));
        assertEquals(CommandException.USAGE, usage.exitCode());
        CommandException missing = assertThrows(CommandException.class, () -> export.execute(new Invocation(cwd,
                false, "--camera", camera, "--from", from, "--out", "x.mp4")));
        assertEquals("Missing --to; see 'vigil export --help'.", missing.getMessage());

        VigilCommand snapshot = command("snapshot");
        String at = LocalDateTime.ofInstant(Library.BASE.plusMillis(3_250), ZoneId.systemDefault()).toString();
        Invocation snap = new Invocation(cwd, false, "--camera", camera, "--at", at, "--out", "frame.jpg");
        assertEquals(0, snapshot.execute(snap), snap.err.toString());
        assertTrue(Files.size(cwd.resolve("frame.jpg")) > 0);
        assertTrue(snap.out.toString().contains("320x240"), snap.out.toString());
        CommandException gap = assertThrows(CommandException.class, () -> snapshot.execute(new Invocation(cwd, false,
                "--camera", camera, "--at", "-1s", "--out", "now.png")));
        assertTrue(gap.getMessage().contains("has no recording at"), gap.getMessage());
        CommandException format = assertThrows(CommandException.class, () -> snapshot.execute(new Invocation(cwd,
                false, "--camera", camera, "--at", at, "--out", "frame.gif")));
        assertEquals(CommandException.USAGE, format.exitCode());

        // an existing picture is replaced only with --overwrite; a folder as --out is one sentence for both commands
        long before = Files.size(cwd.resolve("frame.jpg"));
        Files.writeString(cwd.resolve("frame.jpg"), "mine");
        CommandException snapExists = assertThrows(CommandException.class, () -> snapshot.execute(new Invocation(cwd,
                false, "--camera", camera, "--at", at, "--out", "frame.jpg")));
        assertTrue(snapExists.getMessage().contains("exists") && snapExists.getMessage().contains("--overwrite"),
                snapExists.getMessage());
        assertEquals("mine", Files.readString(cwd.resolve("frame.jpg")), "the file was left as it was");
        Invocation replace = new Invocation(cwd, false, "--camera", camera, "--at", at, "--out", "frame.jpg",
                "--overwrite");
        assertEquals(0, snapshot.execute(replace), replace.err.toString());
        assertEquals(before, Files.size(cwd.resolve("frame.jpg")));
        Files.createDirectories(cwd.resolve("pictures.png"));
        CommandException snapFolder = assertThrows(CommandException.class, () -> snapshot.execute(new Invocation(cwd,
                false, "--camera", camera, "--at", at, "--out", "pictures.png", "--overwrite")));
        assertTrue(snapFolder.getMessage().contains("is a folder; give the picture a file name"),
                snapFolder.getMessage());
        Files.createDirectories(cwd.resolve("clips.mp4"));
        CommandException exportFolder = assertThrows(CommandException.class, () -> export.execute(new Invocation(cwd,
                false, "--camera", camera, "--from", from, "--to", to, "--out", "clips.mp4", "--overwrite")));
        assertTrue(exportFolder.getMessage().contains("is a folder; give the clip a file name"),
                exportFolder.getMessage());
        assertTrue(Files.isDirectory(cwd.resolve("clips.mp4")), "the folder is untouched");
        try (var left = Files.list(cwd)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file left");
        }
        assertTrue(export.help().contains("vigil export --camera ID --from TIME --to TIME --out FILE"));
    }

    /**
     * A clip across a recording whose first 8 KB were overwritten (same size): the report's duration and frames are
     * those of the file written (ffprobe), never negative, and the damaged recording is named in the notes.
     */
    @Test
    void aClipAcrossADamagedRecordingReportsWhatTheFileHolds() throws Exception {
        String camera = Library.camera("damaged-export");
        List<Path> media = Media.segments("run3x4s", 3, 4, GOP_FRAMES);
        List<Path> files = library.addRun(camera, Library.BASE, media, 4);
        library.await(camera, 3);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(files.get(1).toFile(), "rw")) {
            raf.seek(0);
            raf.write(new byte[8192]);
        }
        Path out = Media.work("export-damaged").resolve("clip.mp4");
        ExportReport r = Await.result(service.export(new ExportRequest(camera, Library.BASE,
                Library.BASE.plusSeconds(12), out, false)).result(), WAIT);
        double probed = FFprobe.duration(out);
        FFprobe.Result frames = FFprobe.countFrames(out);
        System.out.println("damaged export: report " + r.duration().toMillis() + " ms, " + r.frames() + " frames; "
                + "ffprobe " + probed + " s, " + frames.out().replace('\n', ' ') + "; notes " + r.notes());
        assertTrue(!r.duration().isNegative(), "duration " + r.duration());
        assertEquals(probed, r.duration().toMillis() / 1000.0, GOP_SECONDS, "the report's duration is the file's");
        assertTrue(frames.out().contains("nb_read_frames=" + r.frames()), "frames " + r.frames() + ": " + frames.out());
    }
}
