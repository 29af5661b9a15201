package io.keygate.gateway.support;

import static io.keygate.core.events.SecurityEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in SSF transmitter on a {@link TestIssuer}'s origin, speaking the freshness wire contract
 * (docs/freshness.md) over real HTTP: metadata, stream configuration, RFC 8936 long-poll with
 * acknowledgements and redelivery, a client-credentials token endpoint and token introspection.
 * SETs are signed with the issuer's own key unless a test forges them.
 */
public final class FakeTransmitter {

    public static final String RECEIVER = "keygate-gateway";
    public static final String RECEIVER_SECRET = "receiver-secret";
    private static final String RECEIVER_TOKEN = "receiver-access-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stream's queue: SETs by seq, not yet acknowledged. */
    private static final class StreamQueue {
        final String id;
        final TreeMap<Long, String[]> pending = new TreeMap<>();

        StreamQueue(String id) {
            this.id = id;
        }
    }

    private final TestIssuer issuer;
    private final Map<String, StreamQueue> streams = new ConcurrentHashMap<>();
    private final Map<String, String> introspection = new ConcurrentHashMap<>();
    private final Map<String, String> emitted = new ConcurrentHashMap<>();
    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger introspections = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private volatile long holdMillis = 2000;
    private volatile boolean down;
    private long head;

    public FakeTransmitter(TestIssuer issuer) {
        this.issuer = issuer;
        issuer.route("/.well-known/ssf-configuration", ex -> respond(ex, 200, metadata()));
        issuer.route("/ssf/streams", this::streams);
        issuer.route("/ssf/poll/", this::poll);
        issuer.route("/protocol/openid-connect/token", this::token);
    }

    private String metadata() {
        ObjectNode m = JSON.createObjectNode().put(META_SPEC_VERSION, SPEC_VERSION).put(META_ISSUER, issuer.issuer())
                .put(META_JWKS_URI, issuer.jwksUrl()).put(META_CONFIGURATION_ENDPOINT, issuer.issuer() + "/ssf/streams")
                .put(META_DEFAULT_SUBJECTS, "ALL");
        m.putArray(META_DELIVERY_METHODS).add(DELIVERY_POLL);
        m.putArray(META_AUTHORIZATION_SCHEMES).addObject().put(META_SPEC_URN, AUTH_SCHEME_OAUTH2);
        return m.toString();
    }

    private void token(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.endsWith("/introspect")) {
            introspections.incrementAndGet();
            String token = java.net.URLDecoder.decode(body.replaceAll(".*token=([^&]*).*", "$1"), StandardCharsets.UTF_8);
            respond(ex, down ? 503 : 200, introspection.getOrDefault(token, "{\"active\":false}"));
            return;
        }
        if (!body.contains("client_secret=" + RECEIVER_SECRET)) {
            respond(ex, 401, "{\"error\":\"unauthorized_client\"}");
            return;
        }
        respond(ex, 200, "{\"access_token\":\"" + RECEIVER_TOKEN + "\",\"expires_in\":300}");
    }

    private void streams(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        String query = ex.getRequestURI().getQuery();
        String id = query != null && query.startsWith("stream_id=") ? query.substring("stream_id=".length()) : null;
        switch (ex.getRequestMethod()) {
            case "POST" -> {
                ex.getRequestBody().readAllBytes();
                StreamQueue queue = new StreamQueue(UUID.randomUUID().toString());
                long next;
                synchronized (this) {
                    streams.put(queue.id, queue);
                    next = head + 1;
                }
                created.incrementAndGet();
                respond(ex, 201, config(queue.id, next));
            }
            case "GET" -> {
                if (id == null || !streams.containsKey(id)) {
                    respond(ex, 404, "{\"detail\":\"no such stream\"}");
                } else {
                    respond(ex, 200, config(id, head + 1));
                }
            }
            case "DELETE" -> {
                streams.remove(id);
                respond(ex, 204, "");
            }
            default -> respond(ex, 405, "{\"detail\":\"method\"}");
        }
    }

    private String config(String id, long next) {
        ObjectNode c = JSON.createObjectNode().put(STREAM_ID, id).put(CLAIM_ISS, issuer.issuer()).put(CLAIM_AUD, RECEIVER)
                .put(STREAM_DESCRIPTION, "test").put(STREAM_NEXT_SEQ, next);
        c.putObject(STREAM_DELIVERY).put(STREAM_DELIVERY_METHOD, DELIVERY_POLL).put(STREAM_ENDPOINT_URL, issuer.issuer() + "/ssf/poll/" + id);
        return c.toString();
    }

    private void poll(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        polls.incrementAndGet();
        String id = ex.getRequestURI().getPath().replaceAll(".*/ssf/poll/", "");
        StreamQueue queue = streams.get(id);
        if (queue == null) {
            respond(ex, 404, "{\"detail\":\"no such stream\"}");
            return;
        }
        JsonNode request = JSON.readTree(ex.getRequestBody());
        boolean immediately;
        synchronized (this) {
            request.path(POLL_ACK).forEach(jti -> {
                acked.add(jti.asText());
                queue.pending.values().removeIf(set -> set[0].equals(jti.asText()));
            });
            request.path(POLL_SET_ERRS).properties().forEach(e -> {
                errors.put(e.getKey(), e.getValue().path("err").asText());
                queue.pending.values().removeIf(set -> set[0].equals(e.getKey()));
            });
            immediately = request.path(POLL_RETURN_IMMEDIATELY).asBoolean(false);
            long deadline = System.currentTimeMillis() + holdMillis;
            while (!immediately && queue.pending.isEmpty() && System.currentTimeMillis() < deadline && streams.containsKey(id)) {
                try {
                    wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode sets = answer.putObject(POLL_SETS);
        int max = request.path(POLL_MAX_EVENTS).asInt(100);
        synchronized (this) {
            queue.pending.values().stream().limit(max).forEach(set -> sets.put(set[0], set[1]));
            answer.put(POLL_MORE_AVAILABLE, queue.pending.size() > max);
        }
        respond(ex, 200, answer.toString());
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (down) {
            respond(ex, 503, "{\"detail\":\"down\"}");
            return false;
        }
        if (!("Bearer " + RECEIVER_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            respond(ex, 401, "{\"detail\":\"receiver token required\"}");
            return false;
        }
        return true;
    }

    // ---- what tests do ----

    /** The claims of a new genuine SET (next seq, fresh jti, this issuer, the receiver's aud) carrying {@code event}. */
    public synchronized JWTClaimsSet.Builder set(String type, Map<String, Object> subject, Map<String, Object> event) {
        head++;
        return new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(RECEIVER).issueTime(new Date())
                .jwtID(UUID.randomUUID().toString()).claim(CLAIM_SEQ, head).claim(CLAIM_SUB_ID, subject)
                .claim(CLAIM_EVENTS, Map.of(type, event));
    }

    /** Claims like {@link #set} that do not take a seq of their own (they claim the next one): for forgeries. */
    public synchronized JWTClaimsSet.Builder forgedSet(String type, Map<String, Object> subject, Map<String, Object> event) {
        return new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(RECEIVER).issueTime(new Date())
                .jwtID(UUID.randomUUID().toString()).claim(CLAIM_SEQ, head + 1).claim(CLAIM_SUB_ID, subject)
                .claim(CLAIM_EVENTS, Map.of(type, event));
    }

    /** The compact form of a SET emitted earlier. */
    public String lastCompact(String jti) {
        return emitted.get(jti);
    }

    /** Signs with the issuer's key and {@code typ secevent+jwt}. */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, issuer.signingKey(), JWSAlgorithm.RS256, SET_TYPE);
    }

    public static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm alg, String typ) {
        JWSHeader.Builder header = new JWSHeader.Builder(alg).keyID(key.getKeyID());
        if (typ != null) {
            header.type(new JOSEObjectType(typ));
        }
        return TestIssuer.sign(header.build(), claims, key);
    }

    /** Queues a compact SET under {@code jti} on every stream (as the next seq of the claims). */
    public synchronized void deliver(String jti, long seq, String compact) {
        streams.values().forEach(q -> q.pending.put(seq, new String[] {jti, compact}));
        notifyAll();
    }

    /** Emits a genuine SET built by {@code build} (applied to a fresh builder of the next seq); returns its jti. */
    public String emit(String type, Map<String, Object> subject, Map<String, Object> event, Consumer<JWTClaimsSet.Builder> customize) {
        JWTClaimsSet.Builder builder = set(type, subject, event);
        customize.accept(builder);
        JWTClaimsSet claims = builder.build();
        String compact = sign(claims);
        emitted.put(claims.getJWTID(), compact);
        deliver(claims.getJWTID(), (Long) claims.getClaim(CLAIM_SEQ), compact);
        return claims.getJWTID();
    }

    /** A claims change for {@code sub}: its workspaces now, and no platform admin. */
    public String claimsChange(String sub, Map<String, String> workspaces) {
        return emit(TOKEN_CLAIMS_CHANGE, issSub(sub), Map.of(EVENT_TIMESTAMP, now(), EVENT_CLAIMS,
                Map.of("workspaces", workspaces, "orgs", Map.of(), "realm_access", Map.of("roles", List.of()))), b -> { });
    }

    public String sessionRevoked(String sub, String sid, String reason) {
        Map<String, Object> subject = sid == null ? issSub(sub) : Map.of(SUBJECT_FORMAT, FORMAT_COMPLEX, SUBJECT_USER, issSub(sub),
                SUBJECT_SESSION, Map.of(SUBJECT_FORMAT, FORMAT_OPAQUE, SUBJECT_ID, sid));
        return emit(SESSION_REVOKED, subject, Map.of(EVENT_TIMESTAMP, now(), EVENT_REASON_ADMIN, Map.of("en", reason)), b -> { });
    }

    public String workspaceChange(String workspace, String wildcard, boolean deleted) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(EVENT_TIMESTAMP, now());
        event.put(EVENT_WORKSPACE, workspace);
        event.put(EVENT_WILDCARD_ROLE, wildcard);
        event.put(EVENT_STATE, deleted ? STATE_DELETED : STATE_ACTIVE);
        return emit(WORKSPACE_CHANGE, Map.of(SUBJECT_FORMAT, FORMAT_OPAQUE, SUBJECT_ID, WORKSPACE_SUBJECT_PREFIX + workspace), event, b -> { });
    }

    public Map<String, Object> issSub(String sub) {
        return Map.of(SUBJECT_FORMAT, FORMAT_ISS_SUB, SUBJECT_ISS, issuer.issuer(), SUBJECT_SUB, sub);
    }

    /** Seconds with a fraction, as event_timestamp is written. */
    public static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Loses the next seq: no stream ever gets it (a gap). */
    public synchronized void loseNextSeq() {
        head++;
    }

    /** Forgets every stream (as after a retention expiry). */
    public void dropStreams() {
        streams.clear();
    }

    /** Makes introspection answer {@code json} for {@code token}. */
    public void introspects(String token, String json) {
        introspection.put(token, json);
    }

    /** Every endpoint answers 503 while down. */
    public void down(boolean value) {
        down = value;
    }

    public void holdMillis(long millis) {
        holdMillis = millis;
    }

    public List<String> acked() {
        return acked;
    }

    /** Error codes reported in setErrs, by jti. */
    public Map<String, String> errors() {
        return errors;
    }

    public int streamsCreated() {
        return created.get();
    }

    public int introspections() {
        return introspections.get();
    }

    public int polls() {
        return polls.get();
    }

    /** Pending SETs across streams. */
    public synchronized int pending() {
        return streams.values().stream().mapToInt(q -> q.pending.size()).sum();
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }
}
