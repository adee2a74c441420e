package org.vigil.api.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

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
}
