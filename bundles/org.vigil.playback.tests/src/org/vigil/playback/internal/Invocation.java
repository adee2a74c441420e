package org.vigil.playback.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.vigil.api.command.CommandInvocation;

/** A command run as the CLI would run it, from {@code cwd}, with its output kept. */
final class Invocation implements CommandInvocation {
    private final List<String> args;
    private final boolean json;
    private final Path cwd;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final PrintWriter outWriter = new PrintWriter(out, true);
    private final PrintWriter errWriter = new PrintWriter(err, true);

    Invocation(Path cwd, boolean json, String... args) {
        this.cwd = cwd;
        this.json = json;
        this.args = List.of(args);
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
        return outWriter;
    }

    @Override
    public PrintWriter err() {
        return errWriter;
    }

    @Override
    public boolean inRunningInstance() {
        return true;
    }

    @Override
    public Path workingDirectory() {
        return cwd;
    }
}
