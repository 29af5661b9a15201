package io.keygate.gateway.freshness;

import static io.keygate.core.events.SecurityEvents.*;

import io.keygate.core.ClaimNames;
import io.keygate.core.Role;
import io.keygate.gateway.freshness.SetRejected.Reason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one event of a verified SET's claims into a {@link Change} (docs/freshness.md, section
 * "SET"). Subjects must be of the SET's own issuer; unknown event types, several events, or missing
 * fields are refused rather than guessed.
 */
final class EventReader {

    /**
     * The claims a change may replace (the mappers' default names, as the contract fixes them); any
     * other claim in the event is ignored, so an event can never change who a token names.
     */
    static final java.util.List<String> CHANGEABLE = java.util.List.of(ClaimNames.WORKSPACES, ClaimNames.ORGS, REALM_ACCESS);

    private EventReader() {
    }

    static Change read(Map<String, Object> claims, String issuer) throws SetRejected {
        if (!(claims.get(CLAIM_EVENTS) instanceof Map<?, ?> events) || events.size() != 1) {
            throw new SetRejected(Reason.EVENT, "events must hold exactly one event");
        }
        Map.Entry<?, ?> event = events.entrySet().iterator().next();
        if (!(event.getValue() instanceof Map<?, ?> payload)) {
            throw new SetRejected(Reason.EVENT, "event payload is not an object");
        }
        long at = timestamp(payload);
        Object subject = claims.get(CLAIM_SUB_ID);
        String type = String.valueOf(event.getKey());
        return switch (type) {
            case TOKEN_CLAIMS_CHANGE -> claimsChange(issSub(subject, issuer), at, payload);
            case SESSION_REVOKED -> sessionRevoked(subject, issuer, at, payload);
            case WORKSPACE_CHANGE -> workspaceChange(subject, at, payload);
            default -> throw new SetRejected(Reason.EVENT, "unknown event type " + type);
        };
    }

    private static Change claimsChange(String subject, long at, Map<?, ?> payload) throws SetRejected {
        if (!(payload.get(EVENT_CLAIMS) instanceof Map<?, ?> claims)) {
            throw new SetRejected(Reason.EVENT, "token-claims-change without claims");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : CHANGEABLE) {
            if (claims.containsKey(name)) {
                values.put(name, claims.get(name));
            }
        }
        if (values.isEmpty()) {
            throw new SetRejected(Reason.EVENT, "token-claims-change carries none of " + CHANGEABLE);
        }
        return new Change.ClaimsChange(subject, at, values);
    }

    private static Change sessionRevoked(Object subject, String issuer, long at, Map<?, ?> payload) throws SetRejected {
        String reason = payload.get(EVENT_REASON_ADMIN) instanceof Map<?, ?> r && r.get("en") instanceof String en ? en : "";
        if (subject instanceof Map<?, ?> id && FORMAT_COMPLEX.equals(id.get(SUBJECT_FORMAT))) {
            String user = issSub(id.get(SUBJECT_USER), issuer);
            if (!(id.get(SUBJECT_SESSION) instanceof Map<?, ?> session) || !FORMAT_OPAQUE.equals(session.get(SUBJECT_FORMAT))
                    || !(session.get(SUBJECT_ID) instanceof String sid) || sid.isEmpty()) {
                throw new SetRejected(Reason.EVENT, "session-revoked with a complex subject needs an opaque session id");
            }
            return new Change.SessionRevoked(user, sid, at, reason);
        }
        return new Change.SessionRevoked(issSub(subject, issuer), null, at, reason);
    }

    private static Change workspaceChange(Object subject, long at, Map<?, ?> payload) throws SetRejected {
        if (!(payload.get(EVENT_WORKSPACE) instanceof String workspace) || workspace.isEmpty()) {
            throw new SetRejected(Reason.EVENT, "workspace-change without workspace");
        }
        if (!(subject instanceof Map<?, ?> id) || !FORMAT_OPAQUE.equals(id.get(SUBJECT_FORMAT))
                || !(WORKSPACE_SUBJECT_PREFIX + workspace).equals(id.get(SUBJECT_ID))) {
            throw new SetRejected(Reason.EVENT, "workspace-change subject must be opaque " + WORKSPACE_SUBJECT_PREFIX + workspace);
        }
        Object wildcard = payload.get(EVENT_WILDCARD_ROLE);
        if (wildcard != null && !(wildcard instanceof String name && Role.parse(name).isPresent())) {
            throw new SetRejected(Reason.EVENT, "unknown wildcard role " + wildcard);
        }
        Object state = payload.get(EVENT_STATE);
        if (!STATE_ACTIVE.equals(state) && !STATE_DELETED.equals(state)) {
            throw new SetRejected(Reason.EVENT, "workspace state must be active or deleted");
        }
        return new Change.WorkspaceChange(workspace, at, (String) wildcard, STATE_DELETED.equals(state));
    }

    /** The {@code sub} of an {@code iss_sub} subject of this issuer. */
    private static String issSub(Object subject, String issuer) throws SetRejected {
        if (!(subject instanceof Map<?, ?> id) || !FORMAT_ISS_SUB.equals(id.get(SUBJECT_FORMAT))) {
            throw new SetRejected(Reason.EVENT, "subject must be iss_sub");
        }
        if (!issuer.equals(id.get(SUBJECT_ISS)) || !(id.get(SUBJECT_SUB) instanceof String sub) || sub.isEmpty()) {
            throw new SetRejected(Reason.EVENT, "subject is not a user of this issuer");
        }
        return sub;
    }

    private static long timestamp(Map<?, ?> payload) throws SetRejected {
        if (!(payload.get(EVENT_TIMESTAMP) instanceof Number seconds) || seconds.doubleValue() <= 0) {
            throw new SetRejected(Reason.EVENT, "event without event_timestamp");
        }
        return Math.round(seconds.doubleValue() * 1000);
    }
}
