package org.vigil.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a helper program of a test (gst-launch-1.0 making test recordings, ffprobe) bounded in time: its input is
 * {@code /dev/null}, its output goes to a file (never a pipe the test must drain), and a run that does not end within
 * the timeout is killed and tried again: a test must fail or go on, never hang. (gst-launch-1.0 with splitmuxsink hung
 * after writing all its files, up to a third of runs on a loaded machine: a race in GStreamer that {@link TestMedia}
 * now avoids; see there.)
 */
public final class Commands {
    private Commands() {
    }

    /** The exit code and what the program printed (standard output and error together). */
    public record Result(int exit, String output) {
    }

    /**
     * Runs {@code command} at most {@code attempts} times until one ends within {@code timeout}.
     *
     * @throws IOException when no attempt ended in time
     */
    public static Result run(List<String> command, Duration timeout, int attempts)
            throws IOException, InterruptedException {
        return run(null, command, timeout, attempts);
    }

    /** Like {@link #run(List, Duration, int)}, in the working directory {@code dir} (null: the test's own). */
    public static Result run(Path dir, List<String> command, Duration timeout, int attempts)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("vigil-test-command", ".log");
        String lastOutput = "";
        try {
            for (int i = 1; i <= attempts; i++) {
                Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(log.toFile()).start();
                if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return new Result(p.exitValue(), Files.readString(log));
                }
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                try {
                    String out = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
                    lastOutput = out.length() > 2000 ? out.substring(out.length() - 2000) : out;
                } catch (IOException e) {
                    lastOutput = "(its output could not be read: " + e.getMessage() + ")";
                }
                System.err.println("Attempt " + i + " of " + attempts + " did not end within " + timeout.toSeconds()
                        + " s and was killed: " + String.join(" ", command));
            }
            throw new IOException("'" + command.get(0) + "' did not end within " + timeout.toSeconds() + " s in "
                    + attempts + " attempts: " + String.join(" ", command) + "; the last attempt printed: "
                    + (lastOutput.isBlank() ? "nothing" : lastOutput.strip()));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
