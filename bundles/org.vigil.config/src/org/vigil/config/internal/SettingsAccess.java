package org.vigil.config.internal;

import java.time.Duration;

import org.vigil.api.command.CommandException;

/**
 * The settings service as a command sees it: it appears once Configuration Admin runs on the configuration database,
 * which can be a moment after the command itself. A command waits for it, bounded, and otherwise says why settings
 * are not available.
 */
final class SettingsAccess {
    static final Duration WAIT = Duration.ofSeconds(10);

    private ConfigAdminSettings current;

    synchronized void bind(ConfigAdminSettings settings) {
        current = settings;
        notifyAll();
    }

    synchronized void unbind(ConfigAdminSettings settings) {
        if (current == settings) {
            current = null;
        }
    }

    /** The settings service, waiting at most {@code timeout} for it. */
    synchronized ConfigAdminSettings await(ConfigStorage storage, Duration timeout) throws CommandException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current == null) {
            if (storage.problem().isPresent()) {
                throw new CommandException(storage.problem().get());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CommandException("Settings are not available: Configuration Admin is not running on "
                        + storage.file() + ". Check that the bundle org.apache.felix.configadmin is installed and the"
                        + " framework property " + ConfigStorage.PM_PROPERTY + "="
                        + ConfigStorage.PERSISTENCE_MANAGER_NAME + " is set, then see the log.");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException("Interrupted while waiting for the settings.");
            }
        }
        return current;
    }
}
