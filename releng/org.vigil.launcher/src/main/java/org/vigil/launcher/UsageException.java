package org.vigil.launcher;

/** A mistake on the command line or in the environment, said in one sentence; the launcher exits non-zero. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    UsageException(String message) {
        this(2, message);
    }

    UsageException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
