package io.keygate.gateway.freshness;

import io.keygate.core.events.SecurityEvents;
import java.util.Map;

/** What one verified security event says changed, and when (the transmitter's clock, milliseconds). */
sealed interface Change permits Change.ClaimsChange, Change.SessionRevoked, Change.WorkspaceChange {

    long eventMillis();

    /** The SET event type, as a metric label. */
    String type();

    /**
     * CAEP token-claims-change: the subject's current {@code workspaces}, {@code orgs} and
     * {@code realm_access}, to lay over the claims of older tokens.
     */
    record ClaimsChange(String subject, long eventMillis, Map<String, Object> claims) implements Change {

        public ClaimsChange {
            claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
        }

        @Override
        public String type() {
            return SecurityEvents.TOKEN_CLAIMS_CHANGE;
        }
    }

    /** CAEP session-revoked: one session ({@code sessionId}), or every session of the subject (null). */
    record SessionRevoked(String subject, String sessionId, long eventMillis, String reason) implements Change {

        @Override
        public String type() {
            return SecurityEvents.SESSION_REVOKED;
        }
    }

    /** keygate workspace-change: the workspace's wildcard role changed, or it was deleted (or entered cleanup). */
    record WorkspaceChange(String workspace, long eventMillis, String wildcardRole, boolean deleted) implements Change {

        @Override
        public String type() {
            return SecurityEvents.WORKSPACE_CHANGE;
        }
    }
}
