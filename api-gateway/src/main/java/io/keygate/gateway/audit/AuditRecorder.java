package io.keygate.gateway.audit;

import io.keygate.gateway.auth.Principal;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which requests are audited and builds their entries: every mutating request
 * (POST, PUT, PATCH, DELETE), every failed authentication (401) and every denial (403).
 * A failing sink is logged and never affects the response.
 */
public final class AuditRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditSink sink;

    public AuditRecorder(AuditSink sink) {
        this.sink = sink;
    }

    public static boolean isAudited(String method, int status) {
        return MUTATING.contains(method) || status == 401 || status == 403;
    }

    public void request(String method, String path, String query, int status, Principal principal, String workspace,
                        String clientAddress, long durationMillis) {
        if (!isAudited(method, status)) {
            return;
        }
        AuditEntry entry = new AuditEntry(Instant.now(), principal == null ? null : principal.id(),
                principal == null ? null : principal.issuer(), method, SecretMasker.maskPathAndQuery(path, query), workspace, status,
                clientAddress, durationMillis, AuditEntry.outcomeOf(status));
        try {
            sink.record(entry);
        } catch (RuntimeException e) {
            LOG.error("audit sink failed for {} {} (status {}): {}", method, entry.path(), status, e.toString());
        }
    }
}
