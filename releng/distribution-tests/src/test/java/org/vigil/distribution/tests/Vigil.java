package org.vigil.distribution.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs the assembled distribution's bin/vigil the way a user does. */
final class Vigil {
    static final Path HOME = Paths.get(System.getProperty("vigil.dist", "../target/vigil")).toAbsolutePath().normalize();
    static final Path BIN = HOME.resolve("bin/vigil");

    private Vigil() {
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs {@code vigil args...} to completion (bounded), with {@code stdin} as its input. */
    static Result run(Duration timeout, String stdin, String... args) throws IOException, InterruptedException {
        return run(timeout, stdin, java.util.Map.of(), args);
    }

    /** As above, with extra environment variables (an empty value removes the variable). */
    static Result run(Duration timeout, String stdin, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(timeout, stdin, env, null, args);
    }

    /** {@code vigil args...} started in the working directory {@code dir}. */
    static Result runIn(Path dir, String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(90), null, java.util.Map.of(), dir, args);
    }

    static Result run(Duration timeout, String stdin, java.util.Map<String, String> env, Path dir, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(BIN.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("vigil-out", ".txt");
        Path err = Files.createTempFile("vigil-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().remove("VIGIL_DATA");
            // one-shot commands never need a display; the workbench case must meet "no display"
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
            env.forEach((k, v) -> {
                if (v.isEmpty()) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("vigil " + String.join(" ", args) + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(90), null, args);
    }

    /** Starts a long-running {@code vigil ...} whose output goes to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(BIN.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("VIGIL_DATA");
        return pb.start();
    }

    static boolean waitUntil(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The java process behind bin/vigil (the script execs it, so it is the same PID). */
    static void sigterm(Process p) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor();
    }
}
