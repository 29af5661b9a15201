package io.keygate.gateway.audit;

/**
 * Where audit entries go. Implementations must be thread-safe and must not throw for a full or
 * unavailable store in a way that breaks the request (the request has already been answered).
 */
public interface AuditSink {

    void record(AuditEntry entry);
}
