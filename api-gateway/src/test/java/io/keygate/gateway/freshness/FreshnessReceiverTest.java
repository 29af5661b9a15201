package io.keygate.gateway.freshness;

import static io.keygate.core.events.SecurityEvents.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.keygate.gateway.support.FakeTransmitter;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver against a fake transmitter over real HTTP: changes reach older tokens within a
 * second, forged SETs change nothing, state survives a restart, and loss makes older tokens
 * unverified.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessReceiverTest {

    private static final String MODELS = "/apis/models/v2/workspaces/ws/models";
    /** A workspace whose wildcard changes: tokens minted in the same second as such a change are looked up live. */
    private static final String WILD_MODELS = "/apis/models/v2/workspaces/wsw/models";

    @TempDir
    static Path dir;
    TestIssuer issuer;
    FakeTransmitter transmitter;
    ReceivingGateway gateway;

    @BeforeAll
    void start() {
        issuer = new TestIssuer("events");
        transmitter = new FakeTransmitter(issuer);
        gateway = started("shared");
    }

    @AfterAll
    void stop() {
        gateway.close();
        issuer.close();
    }

    /** A gateway with its own store and stream, waited for until tokens minted now are current. */
    private ReceivingGateway started(String name) {
        return started(name, issuer);
    }

    private ReceivingGateway started(String name, TestIssuer of) {
        ReceivingGateway started = new ReceivingGateway(of, ReceivingGateway.h2(dir, name), name);
        long ms = started.awaitCurrent(of);
        System.out.println("[keygate-freshness] gateway " + name + ": tokens current " + ms + " ms after start (new stream)");
        return started;
    }

    /** A token minted now (whole-second iat, as Keycloak's) with a session id. */
    private String token(String sub, Map<String, String> workspaces) {
        return token(issuer, sub, workspaces);
    }

    private static String token(TestIssuer of, String sub, Map<String, String> workspaces) {
        return of.token(sub + "@example.com", workspaces, b -> b.subject(sub).claim("sid", "sid-" + sub).issueTime(new Date()));
    }

    /** An issuer and transmitter of one test's own, for losses that would disturb the shared stream. */
    private static final class Isolated implements AutoCloseable {
        final TestIssuer issuer = new TestIssuer("isolated");
        final FakeTransmitter transmitter = new FakeTransmitter(issuer);

        @Override
        public void close() {
            issuer.close();
        }
    }

    private static long counter(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToLong(l -> (long) Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void aDemotionReachesAnOlderTokenWithinASecondAndLeavesReadsAlone() {
        String bob = "bob-" + UUID.randomUUID();
        String token = token(bob, Map.of("ws", "Editor"));
        TestGateway.Response first = gateway.post(MODELS, token);
        assertEquals(200, first.status(), first.body());

        transmitter.claimsChange(bob, Map.of("ws", "Viewer"));
        long ms = await(() -> gateway.post(MODELS, token).status() == 403);
        System.out.println("[keygate-freshness] demotion Editor->Viewer enforced after " + ms + " ms");
        assertTrue(ms < 1000, "enforced within 1 s, took " + ms + " ms");
        assertEquals(200, gateway.get(MODELS, token).status(), "reads still allowed as Viewer");
        assertTrue(counter(gateway.metrics(), "keygate_events_applied_total{type=\"" + TOKEN_CLAIMS_CHANGE + "\"}") >= 1, gateway.metrics());

        String later = issuer.token(bob + "@example.com", Map.of("ws", "Editor"),
                b -> b.subject(bob).issueTime(new Date(System.currentTimeMillis() + 2000)));
        assertEquals(200, gateway.post(MODELS, later).status(), "a token issued after the change is judged by its own claims");
    }

    @Test
    void aRemovalTakesTheWorkspaceAwayAndAGrantNeedsNoRefusalFirst() {
        String carol = "carol-" + UUID.randomUUID();
        String token = token(carol, Map.of("ws", "Viewer"));
        assertEquals(403, gateway.get("/apis/models/v2/workspaces/other/models", token).status());

        transmitter.claimsChange(carol, Map.of("other", "Editor"));
        long ms = await(() -> gateway.get(MODELS, token).status() == 403);
        System.out.println("[keygate-freshness] removal enforced after " + ms + " ms");
        assertEquals(200, gateway.post("/apis/models/v2/workspaces/other/models", token).status(), "the grant arrived with the event");
    }

    @Test
    void revokedSessionsAnswer401SessionEnded() {
        String dave = "dave-" + UUID.randomUUID();
        String erin = "erin-" + UUID.randomUUID();
        String daveToken = token(dave, Map.of("ws", "Viewer"));
        String erinToken = token(erin, Map.of("ws", "Viewer"));
        String erinOtherSession = issuer.token(erin + "@example.com", Map.of("ws", "Viewer"), b -> b.subject(erin).claim("sid", "other"));
        assertEquals(200, gateway.get(MODELS, daveToken).status());

        transmitter.sessionRevoked(dave, null, REASON_USER_DISABLED);
        transmitter.sessionRevoked(erin, "sid-" + erin, REASON_LOGOUT);
        long ms = await(() -> gateway.get(MODELS, erinToken).status() == 401);
        System.out.println("[keygate-freshness] logout (one session) enforced after " + ms + " ms");
        TestGateway.Response refused = gateway.get(MODELS, daveToken);
        assertEquals(401, refused.status());
        assertTrue(refused.body().contains("session ended"), refused.body());
        assertTrue(refused.wwwAuthenticate().contains("invalid_token"), refused.wwwAuthenticate());
        assertEquals(200, gateway.get(MODELS, erinOtherSession).status(), "another session of the same user is untouched");
    }

    @Test
    void workspaceDeletionDropsItAndAWildcardChangeIsLookedUpLive() {
        String frank = "frank-" + UUID.randomUUID();
        String token = token(frank, Map.of("wsw", "Editor", "gone", "Admin"));
        transmitter.introspects(token, "{\"active\":true,\"sub\":\"" + frank + "\",\"workspaces\":{\"wsw\":\"Viewer\"}}");
        int before = transmitter.introspections();

        transmitter.workspaceChange("gone", null, true);
        await(() -> gateway.get("/apis/models/v2/workspaces/gone/models", token).status() == 403);
        assertEquals(before, transmitter.introspections(), "a deletion needs no lookup");
        assertEquals(200, gateway.post(WILD_MODELS, token).status());

        transmitter.workspaceChange("wsw", null, false);
        await(() -> gateway.post(WILD_MODELS, token).status() == 403);
        assertEquals(200, gateway.get(WILD_MODELS, token).status(), "the live answer says Viewer");
        for (int i = 0; i < 20; i++) {
            gateway.get(WILD_MODELS, token);
        }
        assertEquals(before + 1, transmitter.introspections(), "the live answer is cached per token");
    }

    @Test
    void aWildcardChangeDropsTheRoleWhenTheIssuerCannotBeAsked() {
        String gina = "gina-" + UUID.randomUUID();
        String token = token(gina, Map.of("wild", "Viewer", "kept", "Viewer"));
        transmitter.introspects(token, "not json");

        transmitter.workspaceChange("wild", "Viewer", false);
        await(() -> gateway.get("/apis/models/v2/workspaces/wild/models", token).status() == 403);
        assertEquals(200, gateway.get("/apis/models/v2/workspaces/kept/models", token).status());
    }

    @Test
    void forgedSetsAreRefusedCountedAndChangeNothing() throws Exception {
        String victim = "victim-" + UUID.randomUUID();
        String token = token(victim, Map.of("ws", "Editor"));
        assertEquals(200, gateway.post(MODELS, token).status());
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(issuer.signingKey().getKeyID()).generate();
        Map<String, Object> revoke = Map.of(EVENT_TIMESTAMP, FakeTransmitter.now(), EVENT_REASON_ADMIN, Map.of("en", "logout"));
        long order = -1000;
        Map<String, String> expected = new java.util.LinkedHashMap<>();

        JWTClaimsSet base = transmitter.forgedSet(SESSION_REVOKED, transmitter.issSub(victim), revoke).build();
        expected.put(forge(order++, claims(base, b -> { }), otherKey, JWSAlgorithm.RS256, SET_TYPE), "invalid_key");
        expected.put(forge(order++, claims(base, b -> b.audience("someone-else")), null, JWSAlgorithm.RS256, SET_TYPE), "invalid_audience");
        expected.put(forge(order++, claims(base, b -> b.issuer("http://evil.example/realms/events")), null, JWSAlgorithm.RS256, SET_TYPE), "invalid_issuer");
        expected.put(forge(order++, claims(base, b -> b.issueTime(new Date(System.currentTimeMillis() - 25L * 3600_000))), null, JWSAlgorithm.RS256, SET_TYPE), "invalid_request");
        expected.put(forge(order++, claims(base, b -> b.issueTime(new Date(System.currentTimeMillis() + 600_000))), null, JWSAlgorithm.RS256, SET_TYPE), "invalid_request");
        expected.put(forge(order++, claims(base, b -> { }), null, JWSAlgorithm.RS256, "JWT"), "invalid_request");
        expected.put(forge(order++, claims(base, b -> b.claim(CLAIM_EVENTS, Map.of(SESSION_REVOKED, revoke, TOKEN_CLAIMS_CHANGE, revoke))), null,
                JWSAlgorithm.RS256, SET_TYPE), "invalid_request");
        String noneJti = UUID.randomUUID().toString();
        transmitter.deliver(noneJti, order++, b64("{\"alg\":\"none\",\"typ\":\"secevent+jwt\"}") + "."
                + b64(claims(base, b -> b.jwtID(noneJti)).toString()) + ".");
        expected.put(noneJti, "invalid_request");
        String malformedJti = UUID.randomUUID().toString();
        transmitter.deliver(malformedJti, order++, b64("{\"alg\":\"RS256\",\"typ\":\"secevent+jwt\"}") + "." + b64("{\"iss\": ") + ".c2ln");
        expected.put(malformedJti, "invalid_request");
        String hsJti = UUID.randomUUID().toString();
        transmitter.deliver(hsJti, order++, b64("{\"alg\":\"HS256\",\"typ\":\"secevent+jwt\"}") + "." + b64(claims(base, b -> b.jwtID(hsJti)).toString()) + ".c2ln");
        expected.put(hsJti, "invalid_request");

        await(() -> transmitter.errors().keySet().containsAll(expected.keySet()));
        expected.forEach((jti, err) -> assertEquals(err, transmitter.errors().get(jti), "setErr of " + jti));
        assertEquals(200, gateway.post(MODELS, token).status(), "no forged SET changed anything");
        String metrics = gateway.metrics();
        System.out.println("[keygate-freshness] rejected: " + metrics.lines().filter(l -> l.startsWith("keygate_events_rejected_total")).toList());
        for (String reason : List.of("signature", "audience", "issuer", "iat", "type", "event", "algorithm", "malformed")) {
            assertTrue(metrics.contains("keygate_events_rejected_total{reason=\"" + reason + "\"}"), reason + " counted:\n" + metrics);
        }

        String genuine = transmitter.claimsChange(victim, Map.of("ws", "Viewer"));
        await(() -> gateway.post(MODELS, token).status() == 403);
        String upgrade = transmitter.claimsChange(victim, Map.of("ws", "Editor"));
        await(() -> gateway.post(MODELS, token).status() == 200);
        await(() -> transmitter.acked().contains(upgrade));
        String replayOf = transmitter.lastCompact(genuine);
        long replays = counter(gateway.metrics(), "keygate_events_rejected_total{reason=\"replayed\"}");
        transmitter.deliver(genuine, 10_000, replayOf);
        await(() -> counter(gateway.metrics(), "keygate_events_rejected_total{reason=\"replayed\"}") == replays + 1);
        await(() -> java.util.Collections.frequency(transmitter.acked(), genuine) >= 2);
        assertEquals(200, gateway.post(MODELS, token).status(), "the replayed demotion changed nothing");
        assertTrue(gateway.freshness.states().get("test").startsWith("live"), gateway.freshness.states().toString());
    }

    @Test
    void appliedChangesSurviveARestartAndOnesMadeWhileStoppedArriveOnStart() {
        ReceivingGateway own = started("restarted");
        String hank = "hank-" + UUID.randomUUID();
        String ivy = "ivy-" + UUID.randomUUID();
        String hankToken = token(hank, Map.of("ws", "Editor"));
        String ivyToken = token(ivy, Map.of("ws", "Editor"));
        transmitter.claimsChange(hank, Map.of());
        await(() -> own.get(MODELS, hankToken).status() == 403);
        int streams = transmitter.streamsCreated();
        int lookups = transmitter.introspections();

        own.close();
        transmitter.claimsChange(ivy, Map.of());
        ReceivingGateway restarted = new ReceivingGateway(issuer, ReceivingGateway.h2(dir, "restarted"), "restarted");
        try {
            TestGateway.Response ivyFirst = restarted.get(MODELS, ivyToken);
            assertEquals(403, restarted.get(MODELS, hankToken).status(), "refused again after the restart, from the store");
            System.out.println("[keygate-freshness] first request after restart with a token whose removal happened while stopped: "
                    + ivyFirst.status());
            assertEquals(403, ivyFirst.status(), "the removal made while stopped was received before serving");
            assertEquals(streams, transmitter.streamsCreated(), "the restarted gateway resumed its stream");
            assertEquals(lookups, transmitter.introspections(), "no live lookups: the feed caught up before serving");
        } finally {
            restarted.close();
        }
    }

    @Test
    void aSeqGapMakesOlderTokensUnverifiedForRoles() {
        try (Isolated isolated = new Isolated()) {
            try (ReceivingGateway own = started("gap", isolated.issuer)) {
                String jack = "jack-" + UUID.randomUUID();
                String token = token(isolated.issuer, jack, Map.of("ws", "Editor"));
                String unknown = token(isolated.issuer, "kim-" + UUID.randomUUID(), Map.of("ws", "Editor"));
                assertEquals(200, own.post(MODELS, token).status());
                isolated.transmitter.introspects(token, "{\"active\":true,\"sub\":\"" + jack + "\",\"workspaces\":{\"ws\":\"Viewer\"}}");
                int before = isolated.transmitter.introspections();

                isolated.transmitter.loseNextSeq();
                isolated.transmitter.claimsChange("someone-else", Map.of());
                await(() -> own.post(MODELS, token).status() == 403);
                assertEquals(200, own.get(MODELS, token).status(), "looked up live: Viewer");
                assertEquals(before + 1, isolated.transmitter.introspections(), "one lookup per token");

                TestGateway.Response inactive = own.get(MODELS, unknown);
                assertEquals(401, inactive.status(), "introspection says inactive: " + inactive.body());

                String fresh = isolated.issuer.token("new@example.com", Map.of("ws", "Editor"), b -> b.issueTime(new Date(System.currentTimeMillis() + 3000)));
                int lookups = isolated.transmitter.introspections();
                assertEquals(200, own.post(MODELS, fresh).status(), "a token issued after catching up is current");
                assertEquals(lookups, isolated.transmitter.introspections());
            }
        }
    }

    @Test
    void aStreamTheTransmitterLostIsRecreatedAndOlderTokensAreUnverified() {
        try (Isolated isolated = new Isolated()) {
            try (ReceivingGateway own = started("lost", isolated.issuer)) {
                String leo = "leo-" + UUID.randomUUID();
                String token = token(isolated.issuer, leo, Map.of("ws", "Editor"));
                String other = token(isolated.issuer, "mia-" + UUID.randomUUID(), Map.of("ws", "Editor"));
                assertEquals(200, own.post(MODELS, token).status());
                isolated.transmitter.introspects(token, "{\"active\":true,\"sub\":\"" + leo + "\",\"workspaces\":{}}");
                int streams = isolated.transmitter.streamsCreated();

                isolated.transmitter.dropStreams();
                await(() -> isolated.transmitter.streamsCreated() >= streams + 1);
                await(() -> own.get(MODELS, token).status() == 403);
                isolated.transmitter.down(true);
                try {
                    TestGateway.Response unreachable = own.get(MODELS, other);
                    assertEquals(503, unreachable.status(), unreachable.body());
                    assertTrue(unreachable.body().contains("identity provider"), unreachable.body());
                } finally {
                    isolated.transmitter.down(false);
                }
            }
        }
    }

    @Test
    void knownTokensWithoutChangesCostNoCallToTheIssuer() {
        String[] tokens = new String[20];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = token("steady-" + i, Map.of("ws", "Editor"));
        }
        String unrelated = transmitter.claimsChange("unrelated", Map.of());
        await(() -> transmitter.acked().contains(unrelated));
        String fresh = issuer.token("later@example.com", Map.of("ws", "Editor"), b -> b.issueTime(new Date(System.currentTimeMillis() + 2000)));
        gateway.get(MODELS, fresh);
        int jwks = issuer.jwksRequests();
        int lookups = transmitter.introspections();
        for (int i = 0; i < 2000; i++) {
            assertEquals(200, gateway.get(MODELS, i % 2 == 0 ? tokens[i % tokens.length] : fresh).status());
        }
        System.out.println("[keygate-freshness] 2000 requests, no change for their subjects: " + (transmitter.introspections() - lookups)
                + " introspections, " + (issuer.jwksRequests() - jwks) + " JWKS fetches");
        assertEquals(lookups, transmitter.introspections());
        assertEquals(jwks, issuer.jwksRequests());
    }

    @Test
    void readinessAndMetricsNameTheFeed() {
        try (Isolated isolated = new Isolated()) {
            try (ReceivingGateway own = started("observed", isolated.issuer)) {
                assertEquals("live", own.freshness.states().get("test"));
                isolated.transmitter.down(true);
                try {
                    await(() -> own.freshness.states().get("test").startsWith("reconnecting"));
                    await(() -> own.metrics().lines().anyMatch(l -> l.startsWith("keygate_events_stream_unhealthy_seconds{issuer=\"test\"}")
                            && !l.endsWith(" 0.0")));
                } finally {
                    isolated.transmitter.down(false);
                }
                await(() -> own.freshness.states().get("test").equals("live"));
            }
        }
    }

    // ---- helpers ----

    private JWTClaimsSet claims(JWTClaimsSet base, java.util.function.Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder(base).jwtID(UUID.randomUUID().toString());
        change.accept(builder);
        return builder.build();
    }

    /** Delivers a SET signed with {@code key} (null: the issuer's own); returns its jti. */
    private String forge(long order, JWTClaimsSet claims, RSAKey key, JWSAlgorithm alg, String typ) {
        transmitter.deliver(claims.getJWTID(), order, FakeTransmitter.sign(claims, key == null ? issuer.signingKey() : key, alg, typ));
        return claims.getJWTID();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Polls {@code condition} every 10 ms for up to 10 s; returns the milliseconds it took. */
    static long await(BooleanSupplier condition) {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > 10_000_000_000L) {
                fail("condition not met within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
