package io.keygate.gateway.freshness;

/**
 * A SET that must change nothing. {@link #reason()} is the metric label, {@link #err()} the RFC 8935
 * error code sent back in the poll's {@code setErrs}.
 */
final class SetRejected extends Exception {

    /** Why a SET was refused; the names are the {@code reason} label of {@code keygate_events_rejected_total}. */
    enum Reason {
        MALFORMED("malformed", "invalid_request"),
        ALGORITHM("algorithm", "invalid_request"),
        TYPE("type", "invalid_request"),
        SIGNATURE("signature", "invalid_key"),
        ISSUER("issuer", "invalid_issuer"),
        AUDIENCE("audience", "invalid_audience"),
        IAT("iat", "invalid_request"),
        REPLAYED("replayed", "invalid_request"),
        EVENT("event", "invalid_request");

        final String label;
        final String err;

        Reason(String label, String err) {
            this.label = label;
            this.err = err;
        }
    }

    private final Reason reason;

    SetRejected(Reason reason, String description) {
        super(description, null, false, false);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }

    String err() {
        return reason.err;
    }
}
