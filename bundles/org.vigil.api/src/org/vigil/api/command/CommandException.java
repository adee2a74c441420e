package org.vigil.api.command;

/** A failure the user can understand and fix, said in one sentence; the process exits with {@link #exitCode()}. */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit code for wrong usage (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** Exit code for a failure of the operation itself. */
    public static final int FAILED = 1;

    private final int exitCode;

    public CommandException(String message) {
        this(FAILED, message);
    }

    public CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static CommandException usage(String message) {
        return new CommandException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
