package org.vigil.api.config;

import org.osgi.annotation.versioning.ConsumerType;
import org.vigil.api.command.VigilCommand;

/**
 * A subcommand of {@code vigil camera}, contributed by another bundle as a service of this type (and not of
 * {@link VigilCommand}, so that the command line does not offer it as a top-level command). {@link #name()} is the
 * word after {@code camera} ({@code status}), {@link #summary()} its line in {@code vigil camera --help}; the
 * invocation's arguments are the words after the subcommand. Built-in subcommands (add, list, show, set, remove)
 * cannot be replaced.
 */
@ConsumerType
public interface CameraSubcommand extends VigilCommand {
}
