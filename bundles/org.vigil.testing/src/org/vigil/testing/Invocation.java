package org.vigil.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.platform.Registration;

/** A command run as the command line runs it inside a running instance, with its output kept for the test. */
public final class Invocation implements CommandInvocation {
    private final List<String> args;
    private final boolean json;
    private final Path cwd;
    /** What the command printed. */
    public final StringWriter out = new StringWriter();
    /** What the command printed as errors. */
    public final StringWriter err = new StringWriter();
    private final PrintWriter outWriter = new PrintWriter(out, true);
    private final PrintWriter errWriter = new PrintWriter(err, true);
    /** The exit code, once {@link #run} ran it; -1 before. */
    public int exitCode = -1;
    private final List<Runnable> goneActions = new CopyOnWriteArrayList<>();
    private volatile boolean gone;

    /** From the test's own working directory. */
    public Invocation(boolean json, String... args) {
        this(null, json, args);
    }

    /** From {@code cwd}: the user's directory, against which relative file names resolve. */
    public Invocation(Path cwd, boolean json, String... args) {
        this.cwd = cwd;
        this.json = json;
        this.args = List.of(args);
    }

    public static Invocation of(String... args) {
        return new Invocation(false, args);
    }

    public static Invocation json(String... args) {
        return new Invocation(true, args);
    }

    /** Runs {@code command} with {@code args} and keeps its exit code and output. */
    public static Invocation run(VigilCommand command, boolean json, String... args) throws CommandException {
        Invocation r = new Invocation(json, args);
        r.exitCode = command.execute(r);
        r.outWriter.flush();
        return r;
    }

    public String output() {
        outWriter.flush();
        return out.toString();
    }

    public String errors() {
        errWriter.flush();
        return err.toString();
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

    /**
     * Does what the control socket does when the person at the terminal presses Ctrl-C or the client is killed: runs
     * every action the command registered with {@link #onClientGone(Runnable)}, and those it registers later at once.
     *
     * @since 1.2
     */
    public void clientGoesAway() {
        gone = true;
        goneActions.forEach(Runnable::run);
    }

    /**
     * True while the command has an action registered for the client going away (and has not closed it).
     *
     * @since 1.2
     */
    public boolean watchesForClient() {
        return !goneActions.isEmpty();
    }

    @Override
    public Registration onClientGone(Runnable action) {
        if (gone) {
            action.run();
            return () -> { };
        }
        Runnable once = new Runnable() {
            @Override
            public void run() {
                if (goneActions.remove(this)) {
                    action.run();
                }
            }
        };
        goneActions.add(once);
        return () -> goneActions.remove(once);
    }

    @Override
    public boolean clientGone() {
        return gone;
    }

    @Override
    public Path workingDirectory() {
        return cwd != null ? cwd : CommandInvocation.super.workingDirectory();
    }
}
