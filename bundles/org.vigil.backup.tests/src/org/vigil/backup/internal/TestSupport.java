package org.vigil.backup.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Await;
import org.vigil.testing.Commands;

/** Real files, real recordings in the real catalog, real tools (sha256sum, mount) for the backup tests. */
final class TestSupport {
    private TestSupport() {
    }

    /** The bundle's target folder (the test framework's data folder is target/vigil-data). */
    static Path target() {
        String data = FrameworkUtil.getBundle(TestSupport.class).getBundleContext().getProperty("vigil.data");
        return Path.of(data).toAbsolutePath().getParent();
    }

    /** A new empty folder under target/backup-tests. */
    static Path newFolder(String name) throws IOException {
        Path p = target().resolve("backup-tests").resolve(name + "-" + System.nanoTime());
        return Files.createDirectories(p);
    }

    /** The result of a command line. */
    record Run(int exit, String output) {
    }

    static Run run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Commands.Result r = Commands.run(dir, List.of(command), timeout, 1);
        return new Run(r.exit(), r.output());
    }

    static void mustRun(String... command) throws IOException, InterruptedException {
        Run r = run(null, Duration.ofSeconds(60), command);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
    }

    /**
     * A real H.264 recording made once per build with gst-launch-1.0 (the recorder's muxer, fragmented MP4):
     * {@code seconds} long, 320x240, 25 fps.
     */
    static synchronized Path media(int seconds) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(target().resolve("test-media"));
        Path file = dir.resolve("h264-" + seconds + "s.mp4");
        if (Files.exists(file)) {
            return file;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        String pipeline = "videotestsrc pattern=ball num-buffers=" + (seconds * 25)
                + " ! video/x-raw,framerate=25/1,width=320,height=240 ! x264enc key-int-max=25 bitrate=1500"
                + " speed-preset=ultrafast ! h264parse ! mp4mux fragment-duration=1000 ! filesink location=" + tmp;
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q", "-e"));
        cmd.addAll(List.of(pipeline.split(" ")));
        Run r = run(null, Duration.ofSeconds(120), cmd.toArray(String[]::new));
        if (r.exit() != 0 || !Files.exists(tmp)) {
            throw new IOException("gst-launch-1.0 could not make a test recording: " + r.output());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /**
     * A big file that is quick to make: sparse, with 1 MiB of random bytes every 32 MiB so that a copy that
     * loses or shifts data has a different checksum.
     */
    static void bigFile(Path file, long bytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (long pos = 0; pos < bytes; pos += 32L << 20) {
                random.nextBytes(block);
                ByteBuffer b = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, bytes - pos));
                while (b.hasRemaining()) {
                    ch.write(b, pos + b.position());
                }
            }
            ch.truncate(bytes);
            if (ch.size() < bytes) {
                ch.write(ByteBuffer.wrap(new byte[] { 0 }), bytes - 1);
            }
        }
    }

    /**
     * Records a segment as the recorder does: reserve its path, write the file, announce it closed; then waits until
     * the catalog has it.
     */
    static Segment record(StorageService storage, SegmentListener listener, RecordingCatalog catalog, String camera,
            Instant start, Duration length, Path content) throws Exception {
        return record(storage, listener, catalog, camera, start, length, path -> Files.copy(content, path,
                StandardCopyOption.REPLACE_EXISTING));
    }

    /** What writes a segment's file. */
    interface Writer {
        void write(Path path) throws IOException;
    }

    static Segment record(StorageService storage, SegmentListener listener, RecordingCatalog catalog, String camera,
            Instant start, Duration length, Writer writer) throws Exception {
        if (!Await.until(Duration.ofSeconds(30), () -> storage.status().canRecord())) {
            throw new IllegalStateException("Storage never became ready: " + storage.status());
        }
        SegmentReservation r = storage.reserveSegment(camera, start, Container.MP4);
        writer.write(r.path());
        listener.segmentClosed(new ClosedSegment(camera, r.path(), start, start.plus(length), length.toSeconds() * 25,
                Files.size(r.path()), Codec.H264));
        Segment[] found = new Segment[1];
        if (!Await.until(Duration.ofSeconds(30), () -> {
            found[0] = catalog.segmentAt(camera, start.plusMillis(1)).orElse(null);
            return found[0] != null && found[0].relativePath().equals(r.relativePath());
        })) {
            throw new IllegalStateException("The catalog did not list " + r.relativePath());
        }
        return found[0];
    }

    /**
     * Deletes every recording of the cameras through the storage service (the catalog outlives a test run: it lives
     * in target/vigil-data), so that each run starts from the recordings it makes and leaves none behind.
     */
    static void forget(StorageService storage, String... cameras) throws Exception {
        org.vigil.api.storage.SegmentSelection all = new org.vigil.api.storage.SegmentSelection(
                java.util.Set.of(cameras), Instant.EPOCH, BackupComponent.FAR_FUTURE);
        storage.setProtected(all, false); // deletion keeps protected recordings
        org.vigil.api.job.Job<org.vigil.api.storage.DeletionReport> job = storage.delete(
                new org.vigil.api.storage.DeletionRequest(all, false));
        if (!job.await(Duration.ofSeconds(60)) || job.state() != org.vigil.api.job.JobState.SUCCEEDED) {
            throw new IllegalStateException("The recordings of " + java.util.Arrays.toString(cameras)
                    + " could not be deleted: " + job.failure().orElse(job.state().toString()));
        }
    }

    static String sha256(Path file) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Every file under {@code dir}, relative, {@code /}-separated, sorted. */
    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    static List<String> partFiles(Path dir) throws IOException {
        return files(dir).stream().filter(f -> f.endsWith(FileCopier.PART_SUFFIX)).toList();
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    /** A command invocation that captures what the command writes. */
    static final class Invocation implements CommandInvocation {
        final List<String> args;
        final StringWriter outText = new StringWriter();
        final StringWriter errText = new StringWriter();
        /** When each line of standard error was completed ({@link System#nanoTime()}). */
        final List<Long> errLineNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
        final PrintWriter out = new PrintWriter(outText, true);
        final PrintWriter err = new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                synchronized (errText) {
                    errText.write(buf, off, len);
                }
                for (int i = off; i < off + len; i++) {
                    if (buf[i] == '\n') {
                        errLineNanos.add(System.nanoTime());
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true);
        final boolean json;

        Invocation(boolean json, String... args) {
            this.args = List.of(args);
            this.json = json;
        }

        @Override
        public List<String> args() {
            return args;
        }

        @Override
        public boolean json() {
            return json;
        }

        @Override
        public PrintWriter out() {
            return out;
        }

        @Override
        public PrintWriter err() {
            return err;
        }

        @Override
        public boolean inRunningInstance() {
            return true;
        }
    }

    /** Bundles by symbolic name. */
    static Bundle bundle(String symbolicName) {
        for (Bundle b : FrameworkUtil.getBundle(TestSupport.class).getBundleContext().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("No bundle " + symbolicName);
    }
}
