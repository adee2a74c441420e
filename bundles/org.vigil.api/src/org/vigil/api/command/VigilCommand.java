package org.vigil.api.command;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One top-level command of the {@code vigil} command line ({@code vigil camera ...}, {@code vigil status}).
 * Commands are whiteboard services: each bundle contributes its own and the CLI bundle runs them in the running
 * instance (through the control socket), in a one-shot framework, and in the Gogo shell.
 */
@ConsumerType
public interface VigilCommand {
    /** The word after {@code vigil}: lower case, no spaces. */
    String name();

    /** One line for {@code vigil --help}. */
    String summary();

    /** The full text of {@code vigil <name> --help}: usage lines, options, examples. */
    String help();

    /**
     * Runs the command. Returns the exit code (0 on success). A problem the user can fix is reported by throwing
     * {@link CommandException} with one clear sentence, never by a stack trace.
     */
    int execute(CommandInvocation invocation) throws CommandException;
}
