package io.keygate.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keygate.core.OrgRole;
import io.keygate.core.Role;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims to Principal (workspaces, overage, orgs, scopes, platform admin) and the two special modes. */
class PrincipalAndModesTest {

    private static TestIssuer issuer;
    private static TestGateway gateway;
    private static TokenAuthenticator authenticator;

    @BeforeAll
    static void start() {
        issuer = new TestIssuer("claims");
        String mappings = """
                    claimMappings:
                      - orgName: static-org
                        orgDisplayName: Static
                        roles: [PROVIDER_VIEWER]
                      - orgName: attr-org
                        orgDisplayName: Attr
                        rolesAttribute: nico.roles
                      - orgAttribute: tenant
                        orgDisplayAttribute: tenant_name
                        rolesAttribute: tenant_roles
                      - orgName: automation
                        orgDisplayName: Automation
                        isServiceAccount: true
                """;
        String yaml = TestGateway.config(TestGateway.issuerYaml("claims", issuer, TestIssuer.AUDIENCE, mappings));
        gateway = new TestGateway(yaml);
        GatewayConfig config = ConfigLoader.fromYaml(yaml, Map.of());
        authenticator = new TokenAuthenticator(config.issuers(), "platform-admin", 16384, 100, new OverageResolver(java.time.Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        issuer.close();
    }

    @Test
    void principalFromClaims() {
        String token = issuer.token("alice@example.com", Map.of("ml-team", "Admin", "default", "Editor", "weird", "Owner"), c -> c
                .claim("scope", "openid email models:read")
                .claim("realm_access", Map.of("roles", List.of("platform-admin")))
                .claim("orgs", Map.of("acme", Map.of("name", "Acme Corp", "roles", List.of("TENANT_ADMIN")), "empty", Map.of("roles", List.of())))
                .claim("nico", Map.of("roles", List.of("attr-org:PROVIDER_ADMIN", "other-org:TENANT_ADMIN")))
                .claim("tenant", "dyn").claim("tenant_roles", "TENANT_ADMIN PROVIDER_VIEWER"));
        Principal p = authenticator.authenticate(token).principal();
        assertEquals("alice@example.com", p.email());
        assertEquals(Map.of("ml-team", Role.Admin, "default", Role.Editor), p.workspaceRoles(), "unknown role names are ignored");
        assertEquals(Set.of("openid", "email", "models:read"), p.scopes());
        assertTrue(p.platformAdmin());
        assertEquals("claims", p.issuer());
        assertEquals(Set.of(OrgRole.TENANT_ADMIN), p.orgRoles().get("acme"));
        assertEquals(Set.of(), p.orgRoles().get("empty"), "membership without roles");
        assertEquals(Set.of(OrgRole.PROVIDER_VIEWER), p.orgRoles().get("static-org"));
        assertEquals(Set.of(OrgRole.PROVIDER_ADMIN), p.orgRoles().get("attr-org"));
        assertFalse(p.orgRoles().containsKey("other-org"), "org:ROLE entries for other orgs are not taken");
        assertEquals(Set.of(OrgRole.TENANT_ADMIN, OrgRole.PROVIDER_VIEWER), p.orgRoles().get("dyn"));
        assertFalse(p.orgRoles().containsKey("automation"), "service-account mapping only for service-account tokens");
    }

    @Test
    void serviceAccountMapping() {
        String token = issuer.token("", Map.of(), c -> c.claim("email", null).claim("client_id", "robot"));
        Principal p = authenticator.authenticate(token).principal();
        assertEquals(Set.of(OrgRole.PROVIDER_ADMIN, OrgRole.TENANT_ADMIN), p.orgRoles().get("automation"));
        assertEquals(p.subject(), p.id(), "no email: subject identifies the service account");
    }

    @Test
    void overageIsResolvedOnceFromTheIssuersEndpoint() {
        String token = issuer.sign(issuer.claims("big@example.com")
                .claim("_claim_names", Map.of("workspaces", "src1"))
                .claim("_claim_sources", Map.of("src1", Map.of("endpoint", issuer.meWorkspacesUrl())))
                .build());
        issuer.serveOverage(token, "{\"workspaces\":{\"ws\":\"Editor\",\"big-1\":\"Viewer\"}}");
        assertEquals(Map.of("ws", Role.Editor, "big-1", Role.Viewer), authenticator.authenticate(token).principal().workspaceRoles());
        assertEquals(200, gateway.call("POST", "/apis/models/v2/workspaces/ws/models", Map.of("Authorization", "Bearer " + token)).status());
    }

    @Test
    void overageEndpointOutsideTheIssuerIsRefusedWithoutACall() {
        AtomicInteger calls = new AtomicInteger();
        HttpServer evil = startServer(calls);
        try {
            String endpoint = "http://127.0.0.1:" + evil.getAddress().getPort() + "/steal";
            for (String url : List.of(endpoint, issuer.issuer() + "/../../evil", issuer.issuer() + "x/keygate/me/workspaces")) {
                String token = issuer.sign(issuer.claims("big@example.com")
                        .claim("_claim_names", Map.of("workspaces", "src1"))
                        .claim("_claim_sources", Map.of("src1", Map.of("endpoint", url))).build());
                assertEquals(401, gateway.get("/apis/models/v2/workspaces/ws/models", token).status(), url);
            }
            assertEquals(0, calls.get(), "the token was never sent elsewhere");
        } finally {
            evil.stop(0);
        }
    }

    @Test
    void organizationEndpoints() {
        String tenantAdmin = issuer.token("t@example.com", Map.of(), c -> c.claim("orgs", Map.of("acme", Map.of("roles", List.of("TENANT_ADMIN")))));
        String providerViewer = issuer.token("p@example.com", Map.of(), c -> c.claim("orgs", Map.of("acme", Map.of("roles", List.of("PROVIDER_VIEWER")))));
        assertEquals(200, gateway.get("/v2/org/acme/keygate/user/current", tenantAdmin).status());
        assertEquals(200, gateway.get("/v2/org/acme/keygate/tenant/current", tenantAdmin).status());
        assertEquals(403, gateway.get("/v2/org/acme/keygate/allocation", tenantAdmin).status());
        assertEquals(403, gateway.get("/v2/org/globex/keygate/user/current", tenantAdmin).status(), "not a member of globex");
        assertEquals(200, gateway.get("/v2/org/acme/keygate/allocation", providerViewer).status());
        TestGateway.Response write = gateway.call("POST", "/v2/org/acme/keygate/allocation", Map.of("Authorization", "Bearer " + providerViewer));
        assertEquals(403, write.status());
        assertTrue(write.body().contains("PROVIDER_ADMIN"), write.body());
        assertEquals(403, gateway.get("/v2/org/acme/keygate/tenant/current", providerViewer).status());
    }

    @Test
    void forbiddenAnswersNameTheMissingRoleAndScope() {
        String viewer = issuer.token("v@example.com", Map.of("ws", "Viewer"));
        TestGateway.Response role = gateway.call("DELETE", "/apis/entities/v2/workspaces/ws", Map.of("Authorization", "Bearer " + viewer));
        assertEquals(403, role.status());
        assertTrue(role.body().contains("requires role Admin in workspace 'ws'"), role.body());
        String readOnly = issuer.token("e@example.com", Map.of("ws", "Editor"), c -> c.claim("scope", "openid models:read"));
        TestGateway.Response scope = gateway.call("POST", "/apis/models/v2/workspaces/ws/models", Map.of("Authorization", "Bearer " + readOnly));
        assertEquals(403, scope.status());
        assertTrue(scope.body().contains("models:write"), scope.body());
        assertEquals("Bearer realm=\"keygate\", error=\"insufficient_scope\", scope=\"models:write platform:write\"", scope.wwwAuthenticate());
    }

    @Test
    void maliciousPathsAreRejected() {
        String admin = issuer.token("a@example.com", Map.of("ws", "Admin"));
        assertEquals(400, gateway.get("/apis/models/v2/workspaces/other%2Fws/models", admin).status());
        assertTrue(List.of(400, 403).contains(gateway.get("/apis/models/v2/workspaces/ws/../other/models", admin).status()));
        assertEquals(403, gateway.get("/apis/models/v2/workspaces/WS/models", admin).status(), "workspace names are exact");
    }

    @Test
    void authDisabledAllowsEverything() {
        try (TestGateway open = new TestGateway("auth:\n  enabled: false\n")) {
            assertEquals(200, open.call("DELETE", "/apis/entities/v2/workspaces/anything", Map.of()).status());
            assertEquals(200, open.get("/not/in/policy", null).status());
        }
    }

    @Test
    void healthIsPublicAndUnknownRoutesAnswerJson404() {
        assertEquals(200, gateway.get("/healthz", null).status());
        try (TestGateway open = new TestGateway("auth:\n  enabled: false\n", Map.of(), List.of(routes -> routes.get("/boom", ctx -> {
            throw new IllegalStateException("bug");
        })))) {
            TestGateway.Response boom = open.get("/boom", null);
            assertEquals(500, boom.status());
            assertEquals("{\"detail\":\"internal error\"}", boom.body(), "no stack trace reaches the client");
            TestGateway.Response missing = open.get("/healthz/nothing", null);
            assertEquals(404, missing.status());
            assertTrue(missing.body().startsWith("{\"detail\":"), missing.body());
        }
    }

    @Test
    void devPrincipalHeaderResolvesRolesLiveFromKeycloak() {
        AtomicInteger lookups = new AtomicInteger();
        HttpServer keycloak = startFakeKeycloak(lookups);
        String url = "http://127.0.0.1:" + keycloak.getAddress().getPort();
        try (TestGateway dev = new TestGateway("auth:\n  devPrincipalHeader: true\nkeycloak:\n  url: " + url
                + "\n  realm: keygate\n  clientSecret: s3cret\n")) {
            assertEquals(200, dev.call("POST", "/apis/models/v2/workspaces/ml-team/models",
                    Map.of("X-NMP-Principal-Id", "alice@example.com")).status());
            assertEquals(403, dev.call("DELETE", "/apis/entities/v2/workspaces/ml-team",
                    Map.of("Authorization", "Bearer alice@example.com")).status());
            assertEquals(200, dev.call("DELETE", "/apis/entities/v2/workspaces/ml-team",
                    Map.of("Authorization", "Bearer admin@example.com")).status(), "platform_admin from the extension");
            assertEquals(401, dev.call("GET", "/apis/models/v2/workspaces/ml-team/models",
                    Map.of("X-NMP-Principal-Id", "nobody@example.com")).status());
            assertEquals(401, dev.get("/apis/models/v2/workspaces/ml-team/models", null).status());
            assertTrue(lookups.get() >= 2);
        } finally {
            keycloak.stop(0);
        }
    }

    @Test
    void upstreamHeadersNeverCarryTheDevIdentity() {
        Map<String, List<String>> out = UpstreamHeaders.forUpstream(Map.of("x-nmp-principal-id", List.of("admin@example.com"),
                "Connection", List.of("close"), "Content-Type", List.of("application/json")));
        assertEquals(Set.of("Content-Type"), out.keySet());
    }

    private static HttpServer startServer(AtomicInteger calls) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                calls.incrementAndGet();
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpServer startFakeKeycloak(AtomicInteger lookups) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/realms/keygate/protocol/openid-connect/token", ex -> {
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = form.contains("client_secret=s3cret") && form.contains("client_id=keygate-gateway");
                byte[] body = (ok ? "{\"access_token\":\"svc-token\",\"expires_in\":300}" : "{}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(ok ? 200 : 401, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.createContext("/realms/keygate/keygate/principals/", ex -> {
                lookups.incrementAndGet();
                String path = ex.getRequestURI().getPath();
                boolean authorized = "Bearer svc-token".equals(ex.getRequestHeaders().getFirst("Authorization"));
                String body;
                int status = 200;
                if (!authorized) {
                    status = 401;
                    body = "{\"detail\":\"no\"}";
                } else if (path.contains("alice@example.com")) {
                    body = "{\"workspaces\":{\"ml-team\":\"Editor\"}}";
                } else if (path.contains("admin@example.com")) {
                    body = "{\"workspaces\":{},\"platform_admin\":true}";
                } else {
                    status = 404;
                    body = "{\"detail\":\"unknown\"}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(status, bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            });
            server.start();
            assertNotNull(server.getAddress());
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
