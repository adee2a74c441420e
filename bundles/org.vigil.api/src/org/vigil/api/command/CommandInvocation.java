package org.vigil.api.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/** One run of a command: its arguments (global options already removed) and where it writes. */
@ProviderType
public interface CommandInvocation {
    /** Arguments after the command name. */
    List<String> args();

    /** True when the user asked for machine-readable output ({@code --json}). */
    boolean json();

    /** Standard output of the {@code vigil} process. */
    PrintWriter out();

    /** Standard error of the {@code vigil} process. */
    PrintWriter err();

    /** True when the command runs inside the long-running instance, false in a one-shot framework. */
    boolean inRunningInstance();

    /**
     * The working directory of the {@code vigil} process the user typed the command in: relative file names in
     * arguments are resolved against it, not against the instance's own directory.
     */
    default Path workingDirectory() {
        return Paths.get(System.getProperty("user.dir"));
    }

    /** {@code name} as the user meant it: absolute, or relative to {@link #workingDirectory()}. */
    default Path resolvePath(String name) {
        return workingDirectory().resolve(name).toAbsolutePath().normalize();
    }

    /**
     * Runs {@code action} once when the person who typed the command goes away before it ends: Ctrl-C or a kill of
     * the {@code vigil} client, or its connection closed. A command that starts a job cancels it here
     * ({@code inv.onClientGone(job::cancel)}), so that nothing runs on for nobody and the job rolls back the file in
     * hand. When the client is already gone, {@code action} runs at once. The action runs on another thread than the
     * command; it must be quick and must not throw. Close the returned handle when the command no longer needs it.
     * Where no client can go away (the Gogo shell, a test), the action never runs.
     *
     * @since 1.2
     */
    default Registration onClientGone(Runnable action) {
        return () -> { };
    }

    /**
     * True once the client has gone away (see {@link #onClientGone(Runnable)}).
     *
     * @since 1.2
     */
    default boolean clientGone() {
        return false;
    }
}
