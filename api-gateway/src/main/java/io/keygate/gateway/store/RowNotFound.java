package io.keygate.gateway.store;

/**
 * The row a read or write names does not exist. The message is safe to show (it names the
 * resource, never SQL); the route layer answers it as 404.
 */
public final class RowNotFound extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RowNotFound(String message) {
        super(message);
    }
}
