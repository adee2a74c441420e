package org.vigil.monitor.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.VigilCommand;

/** Runs a {@link VigilCommand} as the CLI would and keeps what it printed. */
final class CommandRun implements CommandInvocation {
    private final List<String> args;
    private final boolean json;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final PrintWriter outWriter = new PrintWriter(out, true);
    private final PrintWriter errWriter = new PrintWriter(err, true);
    int exitCode = -1;

    private CommandRun(List<String> args, boolean json) {
        this.args = args;
        this.json = json;
    }

    static CommandRun run(VigilCommand command, boolean json, String... args) throws CommandException {
        CommandRun r = new CommandRun(List.of(args), json);
        r.exitCode = command.execute(r);
        r.outWriter.flush();
        return r;
    }

    String output() {
        return out.toString();
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
}
