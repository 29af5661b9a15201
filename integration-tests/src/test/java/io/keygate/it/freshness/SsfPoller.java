package io.keygate.it.freshness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.keygate.core.events.SecurityEvents;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A minimal RFC 8936 receiver for the tests: finds the transmitter through
 * {@code .well-known/ssf-configuration}, creates a stream with the gateway client's token, long-polls,
 * verifies every SET (RS256 signature with the realm JWKS, {@code typ}, {@code iss}, {@code aud},
 * seq gap-free) and acknowledges it on the next poll.
 */
final class SsfPoller {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Http http = new Http();
    final KeycloakServer keycloak;
    final JsonNode metadata;
    final JsonNode stream;
    private final List<String> toAck = new ArrayList<>();
    private final List<Set> received = new ArrayList<>();
    private final java.util.Set<String> peeked = new java.util.HashSet<>();
    private long lastSeq;
    private JWKSet keys;
    private volatile boolean polling;

    /** A verified SET as received, with the time the poll that carried it returned. */
    record Set(String jti, long seq, JsonNode subject, String type, JsonNode event, long arrivedNanos, JsonNode claims) {
    }

    SsfPoller(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        this.metadata = Http.expect(200, http.get(keycloak.issuer() + "/.well-known/ssf-configuration", null)).json();
        Http.Response created = http.post(metadata.get("configuration_endpoint").asText(), keycloak.gatewayToken(),
                Map.of("delivery", Map.of("method", SecurityEvents.DELIVERY_POLL),
                        "events_requested", List.of(SecurityEvents.TOKEN_CLAIMS_CHANGE, SecurityEvents.SESSION_REVOKED,
                                SecurityEvents.WORKSPACE_CHANGE),
                        "description", "TransmitterIT " + KeycloakServer.unique("stream")));
        this.stream = Http.expect(201, created).json();
        this.lastSeq = stream.get("keygate_next_seq").asLong() - 1;
    }

    String pollUrl() {
        return stream.get("delivery").get("endpoint_url").asText();
    }

    /** One poll: acks what was received before, returns the verified new SETs. */
    synchronized List<Set> pollOnce(boolean returnImmediately) {
        polling = true;
        Http.Response response = http.post(pollUrl(), keycloak.gatewayToken(),
                Map.of("ack", List.copyOf(toAck), "maxEvents", 100, "returnImmediately", returnImmediately));
        long arrived = System.nanoTime();
        polling = false;
        Http.expect(200, response);
        toAck.clear();
        List<Set> sets = new ArrayList<>();
        response.json().get("sets").properties().forEach(entry -> {
            Set set = verify(entry.getKey(), entry.getValue().asText(), arrived);
            if (!peeked.contains(set.jti())) {
                toAck.add(set.jti());
            }
            sets.add(set);
        });
        sets.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        for (Set set : sets) {
            if (set.seq() <= lastSeq) {
                if (peeked.contains(set.jti()) && received.stream().noneMatch(r -> r.jti().equals(set.jti()))) {
                    received.add(set);
                }
                continue;
            }
            if (set.seq() != lastSeq + 1) {
                throw new AssertionError("keygate_seq gap: expected " + (lastSeq + 1) + ", got " + set.seq());
            }
            lastSeq = set.seq();
            received.add(set);
        }
        return sets;
    }

    /** Long-polls until a SET matching {@code wanted} arrives (or {@code timeout}); SETs seen before count too. */
    Set await(Predicate<Set> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Set set : received) {
                if (wanted.test(set)) {
                    received.remove(set);
                    if (peeked.remove(set.jti())) {
                        toAck.add(set.jti());
                    }
                    return set;
                }
            }
            pollOnce(false);
        }
        throw new AssertionError("no matching SET within " + timeout + "; received and not taken: " + received.stream()
                .map(set -> set.seq() + " " + set.type() + " " + set.subject() + " " + set.event()).toList());
    }

    /**
     * Like {@link #await} but leaves the matching SET un-acknowledged; a later {@link #await} takes
     * it again when the transmitter redelivers it (and then acknowledges it).
     */
    Set peek(Predicate<Set> wanted, Duration timeout) {
        Set set = await(wanted, timeout);
        synchronized (this) {
            peeked.add(set.jti());
            toAck.remove(set.jti());
        }
        return set;
    }

    /** Forgets SETs received but not yet awaited (e.g. copies of a peeked SET from before a restart). */
    synchronized void forgetReceived() {
        received.clear();
    }

    /** Acknowledges and forgets everything pending now. */
    void drain() {
        while (!pollOnce(true).isEmpty()) {
            received.clear();
        }
        received.clear();
    }

    /** True while a poll request is out (a long-poll being held by the transmitter). */
    boolean polling() {
        return polling;
    }

    List<Set> receivedSoFar() {
        return List.copyOf(received);
    }

    private Set verify(String jti, String compact, long arrived) {
        try {
            SignedJWT jwt = SignedJWT.parse(compact);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !new JOSEObjectType(SecurityEvents.SET_TYPE).equals(jwt.getHeader().getType())) {
                throw new AssertionError("unexpected SET header " + jwt.getHeader());
            }
            String kid = jwt.getHeader().getKeyID();
            if (keys == null || keys.getKeyByKeyId(kid) == null) {
                keys = JWKSet.load(URI.create(metadata.get("jwks_uri").asText()).toURL());
            }
            RSAKey key = (RSAKey) keys.getKeyByKeyId(kid);
            if (key == null || !jwt.verify(new RSASSAVerifier(key))) {
                throw new AssertionError("SET signature does not verify with the realm JWKS: " + jwt.getHeader());
            }
            JsonNode claims = JSON.readTree(jwt.getPayload().toString());
            if (!keycloak.issuer().equals(claims.get("iss").asText())) {
                throw new AssertionError("wrong iss " + claims.get("iss"));
            }
            if (!KeycloakServer.GATEWAY_CLIENT.equals(claims.get("aud").asText())) {
                throw new AssertionError("wrong aud " + claims.get("aud"));
            }
            if (!jti.equals(claims.get("jti").asText())) {
                throw new AssertionError("sets key " + jti + " is not the jti " + claims.get("jti"));
            }
            JsonNode events = claims.get("events");
            if (events.size() != 1) {
                throw new AssertionError("a SET carries exactly one event: " + events);
            }
            String type = events.fieldNames().next();
            return new Set(jti, claims.get("keygate_seq").asLong(), claims.get("sub_id"), type, events.get(type), arrived, claims);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("cannot verify SET " + jti + ": " + e, e);
        }
    }
}
