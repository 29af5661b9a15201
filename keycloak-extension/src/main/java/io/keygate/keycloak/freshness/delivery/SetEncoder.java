package io.keygate.keycloak.freshness.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.events.SecurityEvents;
import io.keygate.keycloak.freshness.capture.EventKind;
import io.keygate.keycloak.freshness.store.SsfEventEntity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.KeycloakSession;

/**
 * Turns a sequenced outbox row into a compact Security Event Token (RFC 8417, SSF 1.0 / CAEP 1.0)
 * for one receiver: JWS header {@code alg RS256}, {@code typ secevent+jwt}, {@code kid} of the
 * realm's active RS256 key (the key of its access tokens, published in its JWKS); claims
 * {@code iss}, {@code aud}, {@code iat}, {@code jti} (the row id, the same on redelivery),
 * {@code keygate_seq}, {@code sub_id} and exactly one event.
 */
public final class SetEncoder {

    private final KeycloakSession session;
    private final ObjectMapper json;
    private final String issuer;

    /** {@code session} must have the realm in its context; {@code issuer} is the realm's issuer URL. */
    public SetEncoder(KeycloakSession session, ObjectMapper json, String issuer) {
        this.session = session;
        this.json = json;
        this.issuer = issuer;
    }

    public String encode(SsfEventEntity row, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(SecurityEvents.CLAIM_ISS, issuer);
        claims.put(SecurityEvents.CLAIM_AUD, audience);
        claims.put(SecurityEvents.CLAIM_IAT, row.getIssuedAt() / 1000L);
        claims.put(SecurityEvents.CLAIM_JTI, row.getId());
        claims.put(SecurityEvents.CLAIM_SEQ, row.getSeq());
        claims.put(SecurityEvents.CLAIM_SUB_ID, subject(row));
        claims.put(SecurityEvents.CLAIM_EVENTS, Map.of(eventType(row), body(row)));
        // Through the factory: session.getProvider(Class, String) is overloaded with a ComponentModel variant.
        SignatureSignerContext signer = session.getKeycloakSessionFactory()
                .getProviderFactory(SignatureProvider.class, Algorithm.RS256).create(session).signer();
        return new JWSBuilder().type(SecurityEvents.SET_TYPE).jsonContent(claims).sign(signer);
    }

    private Map<String, Object> subject(SsfEventEntity row) {
        EventKind kind = EventKind.valueOf(row.getKind());
        if (kind == EventKind.WORKSPACE) {
            return Map.of(SecurityEvents.SUBJECT_FORMAT, SecurityEvents.FORMAT_OPAQUE,
                    SecurityEvents.SUBJECT_ID, SecurityEvents.WORKSPACE_SUBJECT_PREFIX + row.getSubject());
        }
        Map<String, Object> user = issSub(row.getSubject());
        if (kind == EventKind.SESSION && row.getSessionId() != null) {
            Map<String, Object> complex = new LinkedHashMap<>();
            complex.put(SecurityEvents.SUBJECT_FORMAT, SecurityEvents.FORMAT_COMPLEX);
            complex.put(SecurityEvents.SUBJECT_USER, user);
            complex.put(SecurityEvents.SUBJECT_SESSION, Map.of(SecurityEvents.SUBJECT_FORMAT, SecurityEvents.FORMAT_OPAQUE,
                    SecurityEvents.SUBJECT_ID, row.getSessionId()));
            return complex;
        }
        return user;
    }

    private Map<String, Object> issSub(String userId) {
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put(SecurityEvents.SUBJECT_FORMAT, SecurityEvents.FORMAT_ISS_SUB);
        subject.put(SecurityEvents.SUBJECT_ISS, issuer);
        subject.put(SecurityEvents.SUBJECT_SUB, userId);
        return subject;
    }

    private static String eventType(SsfEventEntity row) {
        return switch (EventKind.valueOf(row.getKind())) {
            case CLAIMS -> SecurityEvents.TOKEN_CLAIMS_CHANGE;
            case SESSION -> SecurityEvents.SESSION_REVOKED;
            case WORKSPACE -> SecurityEvents.WORKSPACE_CHANGE;
        };
    }

    private Object body(SsfEventEntity row) {
        try {
            return json.readTree(row.getPayload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored security event " + row.getId() + " is not JSON", e);
        }
    }
}
