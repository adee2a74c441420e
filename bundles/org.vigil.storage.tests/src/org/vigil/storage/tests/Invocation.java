package org.vigil.storage.tests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.vigil.api.command.CommandInvocation;

/** One command line run in the test, with its output captured. */
final class Invocation implements CommandInvocation {
    private final List<String> args;
    private final boolean json;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final PrintWriter outWriter = new PrintWriter(out, true);
    private final PrintWriter errWriter = new PrintWriter(err, true);

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

    String text() {
        outWriter.flush();
        return out.toString();
    }
}
