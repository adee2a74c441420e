package org.vigil.launcher;

/**
 * SIGTERM and Ctrl-C end the process through the normal path (stop the framework, exit 0) instead of the JVM's
 * default of running shutdown hooks and exiting 143.
 */
final class Signals {
    private Signals() {
    }

    @SuppressWarnings("restriction")
    static void onTermination(Runnable action) {
        for (String name : new String[] { "TERM", "INT" }) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // that signal cannot be handled here: the JVM's default applies
            }
        }
    }
}
