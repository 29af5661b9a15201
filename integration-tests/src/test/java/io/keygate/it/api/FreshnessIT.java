package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 8 end to end: the real Keycloak (transmitter as the realm configures it) and the real
 * gateway receiving its security events. For every kind of change, a token minted before it is
 * refused (or downgraded) at the gateway within 1 s of the change's acknowledgement; the measured
 * time is printed. Plus two gateway processes on one store, a gateway stopped during a removal, and the
 * steady state costing no call to Keycloak.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessIT {

    /** The IT gateways trust the machine's one clock: a 2 s skew keeps the post-stream-creation horizon short. */
    static final String EVENTS = "    clockSkew: 2s\n    events:\n      enabled: true\n      maxBackoff: 1s\n";
    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    final Http http = new Http();

    @BeforeAll
    void start() {
        gateway = GatewayUnderTest.receiving(keycloak, tempDir(), KeycloakServer.unique("it-gw"), EVENTS);
        assertEquals("live", gateway.freshness.states().get("keygate"), gateway.freshness.states().toString());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void apiMemberRemoval() {
        Workspace ws = workspaceWithMember("Viewer");
        expect(200, gateway.get(ws.projects(), ws.memberToken));
        enforced("API member removal", () -> gateway.delete(ws.members() + "/" + ws.member, ws.ownerToken), 200,
                () -> gateway.get(ws.projects(), ws.memberToken).status(), 403);
    }

    @Test
    void apiDemotionRefusesCreatesAndKeepsReads() {
        Workspace ws = workspaceWithMember("Editor");
        expect(201, gateway.post(ws.projects(), ws.memberToken, Map.of("name", KeycloakServer.unique("before"))));
        try {
            enforced("API demotion Editor->Viewer (create refused)",
                    () -> gateway.put(ws.members() + "/" + ws.member, ws.ownerToken, Map.of("roles", List.of("Viewer"))), 200,
                    () -> gateway.post(ws.projects(), ws.memberToken, Map.of("name", KeycloakServer.unique("probe"))).status(), 403);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; members " + gateway.get(ws.members(), ws.ownerToken).body()
                    + "; fresh token create " + gateway.post(ws.projects(), keycloak.userToken(ws.member), Map.of("name", KeycloakServer.unique("fresh"))).status()
                    + "; metrics " + gateway.get("/metrics", null).body().lines().filter(l -> l.startsWith("keygate_events")).toList(), e);
        }
        expect(200, gateway.get(ws.projects(), ws.memberToken));
    }

    @Test
    void adminRestGroupLeave() {
        Workspace ws = workspaceWithMember("Editor");
        String group = expect(200, http.get(keycloak.adminApi() + "/group-by-path/workspaces/" + ws.name + "/Editor", keycloak.adminToken()))
                .json().get("id").asText();
        String userId = userId(ws.member);
        enforced("admin-REST group leave", () -> http.delete(keycloak.adminApi() + "/users/" + userId + "/groups/" + group, keycloak.adminToken()), 204,
                () -> gateway.get(ws.projects(), ws.memberToken).status(), 403);
    }

    @Test
    void wildcardRemoved() {
        Workspace ws = workspaceWithMember(null);
        expect(201, gateway.post(ws.members(), ws.ownerToken, Map.of("principal", "*", "roles", List.of("Viewer"))));
        String outsider = keycloak.newUser("fresh-outsider");
        String outsiderToken = keycloak.userToken(outsider);
        expect(200, gateway.get(ws.projects(), outsiderToken));
        enforced("wildcard removed", () -> gateway.delete(ws.members() + "/*", ws.ownerToken), 200,
                () -> gateway.get(ws.projects(), outsiderToken).status(), 403);
    }

    @Test
    void workspaceDeletedWithCascade() {
        Workspace ws = workspaceWithMember("Editor");
        expect(201, gateway.post(ws.projects(), ws.memberToken, Map.of("name", KeycloakServer.unique("doomed"))));
        enforced("workspace deleted with cascade=true", () -> gateway.delete(WORKSPACES + "/" + ws.name + "?cascade=true", ws.ownerToken), 202,
                () -> gateway.get(ws.projects(), ws.memberToken).status(), 403);
    }

    @Test
    void platformAdminRemovedDirectly() {
        String email = keycloak.newUser("fresh-padmin");
        String userId = userId(email);
        String role = expect(200, http.get(keycloak.adminApi() + "/roles/platform-admin", keycloak.adminToken())).body();
        String mappings = keycloak.adminApi() + "/users/" + userId + "/role-mappings/realm";
        expect(204, http.post(mappings, keycloak.adminToken(), "[" + role + "]"));
        String token = keycloak.userToken(email);
        String foreign = workspaceWithMember(null).projects();
        expect(200, gateway.get(foreign, token));
        enforced("platform-admin removed (direct role mapping)",
                () -> http.send(Http.request(mappings, keycloak.adminToken()).header("Content-Type", "application/json")
                        .method("DELETE", HttpRequest.BodyPublishers.ofString("[" + role + "]"))), 204,
                () -> gateway.get(foreign, token).status(), 403);
    }

    @Test
    void platformAdminRemovedViaGroup() {
        String admin = keycloak.adminToken();
        String groupName = KeycloakServer.unique("platform-ops");
        Http.Response created = expect(201, http.post(keycloak.adminApi() + "/groups", admin, Map.of("name", groupName)));
        String groupId = created.header("Location").substring(created.header("Location").lastIndexOf('/') + 1);
        String role = expect(200, http.get(keycloak.adminApi() + "/roles/platform-admin", admin)).body();
        expect(204, http.post(keycloak.adminApi() + "/groups/" + groupId + "/role-mappings/realm", admin, "[" + role + "]"));
        String email = keycloak.newUser("fresh-gadmin");
        String userId = userId(email);
        expect(204, http.send(Http.request(keycloak.adminApi() + "/users/" + userId + "/groups/" + groupId, admin)
                .PUT(HttpRequest.BodyPublishers.noBody())));
        String token = keycloak.userToken(email);
        String foreign = workspaceWithMember(null).projects();
        expect(200, gateway.get(foreign, token));
        enforced("platform-admin removed (via group)",
                () -> http.delete(keycloak.adminApi() + "/users/" + userId + "/groups/" + groupId, keycloak.adminToken()), 204,
                () -> gateway.get(foreign, token).status(), 403);
    }

    @Test
    void orgRoleRemoved() {
        String admin = keycloak.adminToken();
        String orgId = organizationId("acme");
        String orgs = keycloak.adminApi() + "/organizations/" + orgId;
        String email = keycloak.newUser("fresh-tenant");
        String userId = userId(email);
        expect(201, http.post(orgs + "/members", admin, "\"" + userId + "\""));
        String groupId = expect(200, http.get(orgs + "/groups/group-by-path/TENANT_ADMIN", admin)).json().get("id").asText();
        expect(204, http.send(Http.request(orgs + "/groups/" + groupId + "/members/" + userId, admin).PUT(HttpRequest.BodyPublishers.noBody())));
        String token = keycloak.userToken(email);
        expect(200, gateway.get("/v2/org/acme/keygate/tenant/current", token));
        enforced("org role removed", () -> http.delete(orgs + "/groups/" + groupId + "/members/" + userId, keycloak.adminToken()), 204,
                () -> gateway.get("/v2/org/acme/keygate/tenant/current", token).status(), 403);
    }

    @Test
    void userDisabled() {
        Workspace ws = workspaceWithMember("Viewer");
        String userId = userId(ws.member);
        enforced("user disabled", () -> http.put(keycloak.adminApi() + "/users/" + userId, keycloak.adminToken(), Map.of("enabled", false)), 204,
                () -> gateway.get(ws.projects(), ws.memberToken).status(), 401);
        assertTrue(gateway.get(ws.projects(), ws.memberToken).body().contains("session ended"));
    }

    @Test
    void userDeleted() {
        Workspace ws = workspaceWithMember("Viewer");
        String userId = userId(ws.member);
        enforced("user deleted", () -> http.delete(keycloak.adminApi() + "/users/" + userId, keycloak.adminToken()), 204,
                () -> gateway.get(ws.projects(), ws.memberToken).status(), 401);
    }

    @Test
    void logoutThroughTheEndSessionEndpoint() {
        String email = keycloak.newUser("fresh-logout");
        Http.Response login = expect(200, http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password",
                "client_id", KeycloakServer.CLI_CLIENT, "username", email, "password", KeycloakServer.DEV_PASSWORD, "scope", "openid")));
        String token = login.json().get("access_token").asText();
        String refresh = login.json().get("refresh_token").asText();
        String other = keycloak.userToken(email);
        expect(200, gateway.get(WORKSPACES, token));
        enforced("logout via end-session", () -> http.postForm(keycloak.issuer() + "/protocol/openid-connect/logout",
                Map.of("client_id", KeycloakServer.CLI_CLIENT, "refresh_token", refresh)), 204,
                () -> gateway.get(WORKSPACES, token).status(), 401);
        expect(200, gateway.get(WORKSPACES, other));
    }

    @Test
    void twoGatewayProcessesOnOneStoreBothEnforceARemoval() {
        Path shared = tempDir();
        // H2's mixed mode: the first process serves the file to the second over loopback.
        String store = "jdbc:h2:file:" + shared.resolve("gateway").toString().replace('\\', '/') + ";AUTO_SERVER=TRUE";
        try (GatewayProcess first = GatewayProcess.start(keycloak, store, KeycloakServer.unique("gw-a"), EVENTS, shared);
             GatewayProcess second = GatewayProcess.start(keycloak, store, KeycloakServer.unique("gw-b"), EVENTS, shared)) {
            Workspace ws = workspaceWithMember("Viewer");
            Workspace other = workspaceWithMember(null);
            for (GatewayProcess process : List.of(first, second)) {
                // New JVMs: the measured time should be the feed's, not the first run of the refusal path.
                for (int i = 0; i < 100; i++) {
                    expect(200, process.get(ws.projects(), ws.memberToken));
                    expect(403, process.get(other.projects(), ws.memberToken));
                }
            }
            Http.Response removed = gateway.delete(ws.members() + "/" + ws.member, ws.ownerToken);
            long acknowledged = System.nanoTime();
            expect(200, removed);
            long[] refusedAfter = {-1, -1};
            Thread probeSecond = new Thread(() -> refusedAfter[1] = untilStatus(() -> second.get(ws.projects(), ws.memberToken).status(), 403, acknowledged));
            probeSecond.start();
            refusedAfter[0] = untilStatus(() -> first.get(ws.projects(), ws.memberToken).status(), 403, acknowledged);
            join(probeSecond);
            System.out.printf("[keygate-it] freshness two gateway processes (pids %d, %d) on one store: removal refused by A after %d ms, B after %d ms%n",
                    first.pid(), second.pid(), refusedAfter[0], refusedAfter[1]);
            assertTrue(refusedAfter[0] < 1000 && refusedAfter[1] >= 0 && refusedAfter[1] < 1000,
                    "both within 1 s: " + refusedAfter[0] + " / " + refusedAfter[1] + "\nA:\n" + first.logTail() + "\nB:\n" + second.logTail());
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void aGatewayStoppedDuringARemovalRefusesTheOldTokenWhenStarted() {
        Path store = tempDir();
        String instance = KeycloakServer.unique("gw-stopped");
        Workspace ws = workspaceWithMember("Viewer");
        GatewayUnderTest stopped = GatewayUnderTest.receiving(keycloak, store, instance, EVENTS);
        expect(200, stopped.get(ws.projects(), ws.memberToken));
        stopped.close();
        expect(200, gateway.delete(ws.members() + "/" + ws.member, ws.ownerToken));
        try (GatewayUnderTest restarted = GatewayUnderTest.receiving(keycloak, store, instance, EVENTS)) {
            Http.Response first = restarted.get(ws.projects(), ws.memberToken);
            System.out.println("[keygate-it] freshness gateway stopped during a removal, then started: first request with the old token -> "
                    + first.status() + " (feed " + restarted.freshness.states() + ")");
            expect(403, first);
        }
    }

    @Test
    void tenThousandRequestsWithKnownTokensAndNoChangesMakeNoCallToKeycloak() {
        try (CountingProxy proxy = new CountingProxy(keycloak.baseUrl());
             GatewayUnderTest counted = GatewayUnderTest.receiving(keycloak, tempDir(), KeycloakServer.unique("gw-counted"),
                     EVENTS + "      introspectionEndpoint: " + proxy.url() + "/realms/" + keycloak.realm() + "/protocol/openid-connect/token/introspect\n",
                     proxy.url() + "/realms/" + keycloak.realm() + "/protocol/openid-connect/certs")) {
            Workspace ws = workspaceWithMember("Viewer");
            long horizonWait = awaitCurrent(counted, ws);
            String[] tokens = new String[10];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = keycloak.userToken(ws.member);
            }
            for (String token : tokens) {
                expect(200, counted.get(ws.projects(), token));
            }
            int before = proxy.requests();
            for (int i = 0; i < 10_000; i++) {
                int status = counted.get(ws.projects(), tokens[i % tokens.length]).status();
                if (status != 200) {
                    fail("request " + i + " answered " + status);
                }
            }
            int calls = proxy.requests() - before;
            String lookups = counted.get("/metrics", null).body().lines().filter(l -> l.startsWith("keygate_events_live_lookups_total")).toList().toString();
            System.out.println("[keygate-it] freshness 10000 requests with 10 known tokens, no changes: " + calls
                    + " calls to Keycloak (JWKS + introspection through a counting proxy), live lookups " + lookups
                    + " (waited " + horizonWait + " ms for the new stream's horizon)");
            assertEquals(0, calls);
        }
    }

    // ---- helpers

    record Workspace(String name, String owner, String ownerToken, String member, String memberToken) {
        String projects() {
            return WORKSPACES + "/" + name + "/projects";
        }

        String members() {
            return WORKSPACES + "/" + name + "/members";
        }
    }

    /** A new workspace with its creator as Admin and, unless {@code role} is null, a member holding {@code role}; tokens minted after. */
    private Workspace workspaceWithMember(String role) {
        String owner = keycloak.newUser("fresh-owner");
        String ownerToken = keycloak.userToken(owner);
        String name = KeycloakServer.unique("fresh");
        expect(201, gateway.post(WORKSPACES, ownerToken, Map.of("name", name)));
        String member = keycloak.newUser("fresh-member");
        if (role != null) {
            expect(201, gateway.post(WORKSPACES + "/" + name + "/members", ownerToken, Map.of("principal", member, "roles", List.of(role))));
        }
        return new Workspace(name, owner, keycloak.userToken(owner), member, keycloak.userToken(member));
    }

    /** Makes the change, then polls the probe until it answers {@code refused}; prints and bounds the time from the acknowledgement. */
    private void enforced(String what, Supplier<Http.Response> change, int acknowledgedStatus, IntSupplier probe, int refused) {
        Http.Response response = change.get();
        long acknowledged = System.nanoTime();
        expect(acknowledgedStatus, response);
        long ms = untilStatus(probe, refused, acknowledged);
        System.out.printf("[keygate-it] freshness %s: token minted before the change refused (%d) at the gateway %d ms after the acknowledgement%n",
                what, refused, ms);
        assertTrue(ms < 1000, what + ": refused after " + ms + " ms (bound 1 s)");
    }

    /** Milliseconds from {@code sinceNanos} until {@code probe} answers {@code status} (polled every 5 ms, at most 15 s). */
    static long untilStatus(IntSupplier probe, int status, long sinceNanos) {
        int last = -1;
        while (System.nanoTime() - sinceNanos < 15_000_000_000L) {
            last = probe.getAsInt();
            if (last == status) {
                return (System.nanoTime() - sinceNanos) / 1_000_000;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("never answered " + status + " within 15 s (last " + last + ")");
    }

    /** Waits until a token minted now is current at {@code gateway} (no live lookup needed); returns the ms waited. */
    private long awaitCurrent(GatewayUnderTest counted, Workspace ws) {
        long started = System.nanoTime();
        while (System.nanoTime() - started < 15_000_000_000L) {
            String token = keycloak.userToken(ws.member);
            String before = lookups(counted);
            expect(200, counted.get(ws.projects(), token));
            if (before.equals(lookups(counted))) {
                return (System.nanoTime() - started) / 1_000_000;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("tokens never became current");
    }

    private static String lookups(GatewayUnderTest gateway) {
        return gateway.get("/metrics", null).body().lines().filter(l -> l.startsWith("keygate_events_live_lookups_total")).toList().toString();
    }

    private String userId(String email) {
        return expect(200, http.get(keycloak.adminApi() + "/users?exact=true&email=" + Http.enc(email), keycloak.adminToken()))
                .json().get(0).get("id").asText();
    }

    private String organizationId(String alias) {
        for (JsonNode org : expect(200, http.get(keycloak.adminApi() + "/organizations?max=100", keycloak.adminToken())).json()) {
            if (alias.equals(org.path("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new AssertionError("no organization " + alias);
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("keygate-freshness-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
