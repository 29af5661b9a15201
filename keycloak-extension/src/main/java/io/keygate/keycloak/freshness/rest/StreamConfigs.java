package io.keygate.keycloak.freshness.rest;

import io.keygate.core.events.SecurityEvents;
import io.keygate.keycloak.freshness.store.SsfStreamEntity;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SSF stream configuration wire shape of a stream (SSF 1.0 section 8.1.1 plus {@code keygate_next_seq}). */
final class StreamConfigs {

    /** Every event type this transmitter emits; all are delivered (filtering would break seq gap detection). */
    static final List<String> EVENTS_SUPPORTED = List.of(SecurityEvents.TOKEN_CLAIMS_CHANGE, SecurityEvents.SESSION_REVOKED,
            SecurityEvents.WORKSPACE_CHANGE);

    private StreamConfigs() {
    }

    static Map<String, Object> toJson(SsfStreamEntity stream, String issuer, String pollUrl) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(SecurityEvents.STREAM_ID, stream.getId());
        json.put(SecurityEvents.CLAIM_ISS, issuer);
        json.put(SecurityEvents.CLAIM_AUD, stream.getClientId());
        json.put(SecurityEvents.STREAM_DELIVERY, Map.of(SecurityEvents.STREAM_DELIVERY_METHOD, SecurityEvents.DELIVERY_POLL,
                SecurityEvents.STREAM_ENDPOINT_URL, pollUrl));
        json.put(SecurityEvents.STREAM_EVENTS_SUPPORTED, EVENTS_SUPPORTED);
        json.put(SecurityEvents.STREAM_EVENTS_REQUESTED, requested(stream));
        json.put(SecurityEvents.STREAM_EVENTS_DELIVERED, EVENTS_SUPPORTED);
        json.put(SecurityEvents.STREAM_DESCRIPTION, stream.getDescription());
        json.put(SecurityEvents.STREAM_NEXT_SEQ, stream.getAckedSeq() + 1);
        return json;
    }

    static List<String> requested(SsfStreamEntity stream) {
        String requested = stream.getEventsRequested();
        return requested == null || requested.isBlank() ? List.of() : Arrays.asList(requested.split(" "));
    }
}
