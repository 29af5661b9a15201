package io.keygate.it.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway against real Keycloak 26.7.3 tokens: the dev realm, a second realm created here
 * through the admin REST API, key rotation in Keycloak, and keys served while Keycloak is
 * unreachable. The shared Keycloak cannot be stopped (other test classes use it), so the outage
 * is simulated by pointing the gateway at a JWKS proxy to Keycloak and stopping that proxy.
 */
@RealKeycloak
class KeycloakTokensTest {

    private static final String LIST = "/apis/entities/v2/workspaces";
    private static final Http HTTP = new Http();
    private static String secondRealm;

    @BeforeAll
    static void createSecondRealm(KeycloakServer keycloak) {
        secondRealm = KeycloakServer.unique("second");
        Map<String, Object> audienceMapper = Map.of("name", "second-api audience", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.custom.audience", "second-api", "access.token.claim", "true", "id.token.claim", "false"));
        Map<String, Object> realm = Map.of(
                "id", secondRealm, "realm", secondRealm, "enabled", true,
                "clients", List.of(
                        Map.of("clientId", "second-cli", "publicClient", true, "directAccessGrantsEnabled", true,
                                "standardFlowEnabled", false, "protocolMappers", List.of(audienceMapper)),
                        Map.of("clientId", "plain-cli", "publicClient", true, "directAccessGrantsEnabled", true,
                                "standardFlowEnabled", false)),
                "users", List.of(Map.of("username", "carol@example.com", "email", "carol@example.com", "emailVerified", true,
                        "enabled", true, "firstName", "Carol", "lastName", "Second",
                        "credentials", List.of(Map.of("type", "password", "value", "pw-second", "temporary", false)))));
        Http.Response created = HTTP.post(keycloak.baseUrl() + "/admin/realms", keycloak.adminToken(), realm);
        assertEquals(201, created.status(), created.toString());
    }

    private static String secondToken(KeycloakServer keycloak, String client) {
        Http.Response response = HTTP.postForm(keycloak.realmUrl(secondRealm) + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", client, "username", "carol@example.com", "password", "pw-second",
                "scope", "openid"));
        assertEquals(200, response.status(), response.toString());
        return response.json().get("access_token").asText();
    }

    private static String certs(String realmUrl) {
        return realmUrl + "/protocol/openid-connect/certs";
    }

    private static String keygateIssuer(KeycloakServer keycloak, String extra) {
        return GatewayUnderTest.issuer("keygate", keycloak.issuer(), certs(keycloak.issuer()), KeycloakServer.AUDIENCE, extra);
    }

    @Test
    void realTokensAreAcceptedAndRolesComeFromClaims(KeycloakServer keycloak) {
        try (GatewayUnderTest gateway = new GatewayUnderTest("issuers:\n" + keygateIssuer(keycloak, ""))) {
            Http.Response alice = gateway.get(LIST, keycloak.userToken("alice@example.com"));
            assertEquals(200, alice.status(), alice.toString());
            assertEquals("alice@example.com", alice.json().get("principal").asText());
            assertEquals(false, alice.json().get("platform_admin").asBoolean());

            String admin = keycloak.userToken("admin@example.com");
            Http.Response adminDelete = gateway.delete("/apis/entities/v2/workspaces/" + KeycloakServer.unique("ws"), admin);
            assertEquals(200, adminDelete.status(), "platform-admin realm role bypasses workspace checks: " + adminDelete);
            Http.Response aliceDelete = gateway.delete("/apis/entities/v2/workspaces/" + KeycloakServer.unique("ws"),
                    keycloak.userToken("alice@example.com"));
            assertEquals(403, aliceDelete.status(), aliceDelete.toString());
            System.out.println("real Keycloak: alice list -> " + alice.status() + ", admin delete -> " + adminDelete.status()
                    + ", alice delete -> " + aliceDelete.status() + " " + aliceDelete.body());
        }
    }

    @Test
    void readOnlyScopeTokenIsLimitedToReads(KeycloakServer keycloak) {
        try (GatewayUnderTest gateway = new GatewayUnderTest("issuers:\n" + keygateIssuer(keycloak, ""))) {
            String readOnly = keycloak.passwordToken("admin@example.com", KeycloakServer.DEV_PASSWORD, "platform:read");
            assertEquals(200, gateway.get(LIST, readOnly).status(), "PlatformAdmin skips the scope check");
            String aliceReadOnly = keycloak.passwordToken("alice@example.com", KeycloakServer.DEV_PASSWORD, "platform:read");
            assertEquals(200, gateway.get(LIST, aliceReadOnly).status());
            Http.Response create = HTTP.post(gateway.url(LIST), aliceReadOnly, Map.of("name", "x"));
            assertEquals(403, create.status(), create.toString());
            assertTrue(create.header("WWW-Authenticate").contains("insufficient_scope"), create.toString());
        }
    }

    @Test
    void tokensOfOtherRealmsOnTheSameKeycloakAreRejected(KeycloakServer keycloak) {
        try (GatewayUnderTest gateway = new GatewayUnderTest("issuers:\n" + keygateIssuer(keycloak, ""))) {
            Http.Response master = gateway.get(LIST, keycloak.adminToken());
            Http.Response second = gateway.get(LIST, secondToken(keycloak, "second-cli"));
            System.out.println("master-realm token -> " + master.status() + " " + master.header("WWW-Authenticate"));
            System.out.println("second-realm token -> " + second.status() + " " + second.header("WWW-Authenticate"));
            assertEquals(401, master.status());
            assertEquals(401, second.status());
            assertTrue(second.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        }
    }

    @Test
    void twoRealmsAsTwoIssuersEachWithItsOwnAudience(KeycloakServer keycloak) {
        String second = keycloak.realmUrl(secondRealm);
        String yaml = "issuers:\n" + keygateIssuer(keycloak, "") + GatewayUnderTest.issuer("second", second, certs(second), "second-api", "");
        try (GatewayUnderTest gateway = new GatewayUnderTest(yaml)) {
            Http.Response fromKeygate = gateway.get(LIST, keycloak.userToken("bob@example.com"));
            Http.Response fromSecond = gateway.get(LIST, secondToken(keycloak, "second-cli"));
            Http.Response wrongAudience = gateway.get(LIST, secondToken(keycloak, "plain-cli"));
            System.out.println("two issuers: keygate -> " + fromKeygate.status() + ", second -> " + fromSecond.status()
                    + ", second without second-api audience -> " + wrongAudience.status() + " " + wrongAudience.header("WWW-Authenticate"));
            assertEquals(200, fromKeygate.status(), fromKeygate.toString());
            assertEquals("bob@example.com", fromKeygate.json().get("principal").asText());
            assertEquals(200, fromSecond.status(), fromSecond.toString());
            assertEquals("carol@example.com", fromSecond.json().get("principal").asText());
            assertEquals(401, wrongAudience.status());
        }
    }

    @Test
    void keysRotatedInKeycloakAreUsedWithoutRestart(KeycloakServer keycloak) throws Exception {
        String realm = KeycloakServer.unique("rotate");
        Http.Response created = HTTP.post(keycloak.baseUrl() + "/admin/realms", keycloak.adminToken(), Map.of(
                "id", realm, "realm", realm, "enabled", true,
                "clients", List.of(Map.of("clientId", "cli", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", false, "protocolMappers", List.of(Map.of("name", "aud", "protocol", "openid-connect",
                                "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.custom.audience", "rotate-api",
                                        "access.token.claim", "true"))))),
                "users", List.of(Map.of("username", "dave@example.com", "email", "dave@example.com", "emailVerified", true,
                        "enabled", true, "firstName", "Dave", "lastName", "Rotate",
                        "credentials", List.of(Map.of("type", "password", "value", "pw-rotate", "temporary", false))))));
        assertEquals(201, created.status(), created.toString());
        String realmUrl = keycloak.realmUrl(realm);
        String yaml = "issuers:\n" + GatewayUnderTest.issuer("rotate", realmUrl, certs(realmUrl), "rotate-api", "    jwksRateLimit: 1s\n");
        try (GatewayUnderTest gateway = new GatewayUnderTest(yaml)) {
            String before = token(keycloak, realm);
            assertEquals(200, gateway.get(LIST, before).status());

            Map<String, Object> key = Map.of("name", "rotated-" + realm, "providerId", "rsa-generated",
                    "providerType", "org.keycloak.keys.KeyProvider", "parentId", realm,
                    "config", Map.of("priority", List.of("500"), "keySize", List.of("2048"), "active", List.of("true"),
                            "enabled", List.of("true"), "algorithm", List.of("RS256")));
            Http.Response added = HTTP.post(keycloak.baseUrl() + "/admin/realms/" + realm + "/components", keycloak.adminToken(), key);
            assertEquals(201, added.status(), added.toString());

            String after = token(keycloak, realm);
            String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
            String newKid = SignedJWT.parse(after).getHeader().getKeyID();
            assertNotEquals(oldKid, newKid, "Keycloak signs with the new higher-priority key");
            int status = gateway.get(LIST, after).status();
            long deadline = System.currentTimeMillis() + 10_000;
            while (status != 200 && System.currentTimeMillis() < deadline) {
                LockSupport.parkNanos(200_000_000L);
                status = gateway.get(LIST, after).status();
            }
            System.out.println("key rotation: old kid " + oldKid + ", new kid " + newKid + " -> " + status);
            assertEquals(200, status);
            assertEquals(200, gateway.get(LIST, before).status(), "tokens signed with the older key stay valid while it is published");
        }
    }

    private static String token(KeycloakServer keycloak, String realm) {
        Http.Response response = HTTP.postForm(keycloak.realmUrl(realm) + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "cli", "username", "dave@example.com", "password", "pw-rotate", "scope", "openid"));
        assertEquals(200, response.status(), response.toString());
        return response.json().get("access_token").asText();
    }

    @Test
    void tokensIssuedBeforeKeycloakBecameUnreachableStayValid(KeycloakServer keycloak) throws IOException {
        HttpServer proxy = jwksProxy(certs(keycloak.issuer()));
        String proxied = "http://127.0.0.1:" + proxy.getAddress().getPort() + "/certs";
        String extra = "    jwksCacheTtl: 2s\n    jwksRefreshAhead: 500ms\n    jwksTimeout: 500ms\n    jwksRateLimit: 200ms\n";
        String yaml = "issuers:\n" + GatewayUnderTest.issuer("keygate", keycloak.issuer(), proxied, KeycloakServer.AUDIENCE, extra);
        try (GatewayUnderTest gateway = new GatewayUnderTest(yaml)) {
            assertEquals(200, gateway.get(LIST, keycloak.userToken("alice@example.com")).status());
            String bob = keycloak.userToken("bob@example.com");
            String charlie = keycloak.userToken("charlie@example.com");
            proxy.stop(0);
            long until = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < until) {
                LockSupport.parkNanos(100_000_000L);
            }
            Http.Response bobResponse = gateway.get(LIST, bob);
            Http.Response charlieResponse = gateway.get(LIST, charlie);
            System.out.println("JWKS unreachable for 3 s (cache TTL 2 s): tokens issued before -> " + bobResponse.status()
                    + ", " + charlieResponse.status());
            assertEquals(200, bobResponse.status(), bobResponse.toString());
            assertEquals(200, charlieResponse.status(), charlieResponse.toString());
        } finally {
            proxy.stop(0);
        }
    }

    /** Forwards GET /certs to Keycloak's JWKS endpoint; stopping it makes Keycloak unreachable for the gateway. */
    private static HttpServer jwksProxy(String target) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/certs", ex -> {
            try (InputStream in = URI.create(target).toURL().openStream()) {
                byte[] body = in.readAllBytes();
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } finally {
                ex.close();
            }
        });
        server.start();
        return server;
    }
}
