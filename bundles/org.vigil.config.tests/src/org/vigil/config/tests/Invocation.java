package org.vigil.config.tests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.vigil.api.command.CommandInvocation;

/** A command run as the CLI makes it, with its output kept for the test. */
final class Invocation implements CommandInvocation {
    private final List<String> args;
    private final boolean json;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final PrintWriter outWriter = new PrintWriter(out, true);
    private final PrintWriter errWriter = new PrintWriter(err, true);

    private Invocation(boolean json, List<String> args) {
        this.json = json;
        this.args = args;
    }

    static Invocation of(String... args) {
        return new Invocation(false, List.of(args));
    }

    static Invocation json(String... args) {
        return new Invocation(true, List.of(args));
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

    String output() {
        outWriter.flush();
        return out.toString();
    }

    String errors() {
        errWriter.flush();
        return err.toString();
    }
}
