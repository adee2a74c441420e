package org.vigil.api.storage;

/** Recording cannot write now; the message is one sentence for a user and {@link #state()} says why. */
public class StorageUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StorageState state;

    public StorageUnavailableException(StorageState state, String message) {
        super(message);
        this.state = state;
    }

    public StorageState state() {
        return state;
    }
}
