package io.keygate.gateway.resources;

/** Lifecycle of a job kept by the gateway. The gateway records jobs; it runs nothing itself. */
public enum JobStatus {
    created,
    pending,
    active,
    cancelled,
    completed,
    error;

    /** Finished jobs cannot be cancelled any more. */
    public boolean isTerminal() {
        return this == cancelled || this == completed || this == error;
    }
}
