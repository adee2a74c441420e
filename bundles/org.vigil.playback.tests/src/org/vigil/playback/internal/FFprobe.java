package org.vigil.playback.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ffprobe on a file: does it read it without an error, and what does it find. */
final class FFprobe {
    record Result(int exit, String out, String err) {
        boolean clean() {
            return exit == 0 && err.isBlank();
        }
    }

    private FFprobe() {
    }

    static Result run(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ffprobe did not finish on " + file);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim(),
                new String(err, StandardCharsets.UTF_8).trim());
    }

    /** The container's duration in seconds. */
    static double duration(Path file) throws IOException, InterruptedException {
        Result r = run(file, "-show_entries", "format=duration", "-of", "default=nw=1:nk=1");
        if (!r.clean()) {
            throw new AssertionError("ffprobe failed on " + file + ": " + r);
        }
        return Double.parseDouble(r.out());
    }

    /** Decodes every video frame; returns how many were read (errors show in the result's err). */
    static Result countFrames(Path file) throws IOException, InterruptedException {
        return run(file, "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,nb_read_frames,width,height", "-of", "default=nw=1");
    }
}
