package io.keygate.gateway.store;

/**
 * A write that the stored state refuses: a name already taken, a job already finished. The
 * message is safe to show (it names the resource, never SQL); the route layer answers it as 409.
 */
public final class RowConflict extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RowConflict(String message) {
        super(message);
    }
}
