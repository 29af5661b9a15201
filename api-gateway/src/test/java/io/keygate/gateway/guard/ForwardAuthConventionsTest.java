package io.keygate.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.audit.AuditEntry;
import io.keygate.gateway.support.ReferencePolicy;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /forward-auth} over real HTTP, with the request shapes Traefik ForwardAuth, Caddy
 * {@code forward_auth} and Envoy's HTTP {@code ext_authz} send (nginx runs for real in the
 * integration tests): the same decisions as the gateway's own routes, identity headers on 2xx,
 * forged identity never echoed, 400 for bad input, host/prefix guards choosing the policy.
 */
class ForwardAuthConventionsTest {

    private static final String PROJECTS = "/apis/entities/v2/workspaces/ws/projects";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestIssuer issuer;
    private static TestGateway gateway;
    private static TestGateway guarded;
    private static String viewer;
    private static String editor;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        issuer = new TestIssuer("fwd");
        String issuers = TestGateway.issuerYaml("fwd", issuer, TestIssuer.AUDIENCE, "");
        gateway = new TestGateway(TestGateway.config(issuers));
        guarded = new TestGateway("""
                forwardAuth:
                  conventions: [forwarded]
                  identityHeaders:
                    principal: X-User
                  guards:
                    - host: nmp.example.com
                      policy: %s
                    - host: ""
                      prefix: /apis/entities
                """.formatted(ReferencePolicy.file()) + TestGateway.config(issuers));
        viewer = issuer.token("viewer@example.com", Map.of("ws", "Viewer"));
        editor = issuer.token("editor@example.com", Map.of("ws", "Editor"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        guarded.close();
        issuer.close();
    }

    record Reply(int status, Map<String, String> headers, String body) {
        String detail() {
            try {
                return JSON.readTree(body).get("detail").asText();
            } catch (IOException e) {
                throw new AssertionError("not a {\"detail\"} body: " + body, e);
            }
        }
    }

    private static Reply call(TestGateway to, String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().map().forEach((k, v) -> out.put(k, String.join(",", v)));
            return new Reply(response.statusCode(), out, response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What Traefik ForwardAuth sends: a GET to the authorizer with X-Forwarded-* and the client's headers. */
    private static Reply traefik(TestGateway to, String method, String uri, String token, Map<String, String> clientHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(clientHeaders);
        headers.put("X-Forwarded-Method", method);
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", "api.example.com");
        headers.put("X-Forwarded-Uri", uri);
        headers.put("X-Forwarded-For", "203.0.113.7");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return call(to, "GET", "/forward-auth", headers);
    }

    /** What Caddy's forward_auth sends: X-Forwarded-Method and X-Forwarded-Uri, the client's headers copied. */
    private static Reply caddy(String method, String uri, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Forwarded-Method", method);
        headers.put("X-Forwarded-Uri", uri);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return call(gateway, "GET", "/forward-auth", headers);
    }

    /** What Envoy's HTTP ext_authz sends: the original method, path_prefix + original path, the allowed headers. */
    private static Reply envoy(String method, String path, String token, Map<String, String> clientHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(clientHeaders);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return call(gateway, method, "/forward-auth/envoy" + path, headers);
    }

    @Test
    void traefikConvention() {
        Reply anonymous = traefik(gateway, "POST", PROJECTS, null, Map.of());
        assertEquals(401, anonymous.status(), anonymous.body());
        assertEquals("Bearer realm=\"keygate\"", anonymous.headers().get("WWW-Authenticate"));
        Reply viewerWrite = traefik(gateway, "POST", PROJECTS, viewer, Map.of());
        assertEquals(403, viewerWrite.status(), viewerWrite.body());
        assertTrue(viewerWrite.detail().contains("requires role Editor in workspace 'ws'"), viewerWrite.detail());
        assertEquals(viewerWrite.body(), viewerWrite.headers().get(ForwardAuthRoutes.ERROR_HEADER), "the body again, for nginx's error_page");
        Reply viewerRead = traefik(gateway, "GET", PROJECTS + "?page=1", viewer, Map.of());
        assertEquals(200, viewerRead.status(), viewerRead.body());
        assertEquals("Viewer", viewerRead.headers().get("X-Keygate-Role"));
        Reply editorWrite = traefik(gateway, "POST", PROJECTS, editor, Map.of("X-Keygate-Principal", "admin@example.com",
                "X-Keygate-Role", "PlatformAdmin"));
        assertEditorAllowed(editorWrite);
        System.out.println("[keygate-test] forward-auth Traefik: no token 401, Viewer write 403 (" + viewerWrite.detail()
                + "), Editor write 200 as " + editorWrite.headers().get("X-Keygate-Principal"));
    }

    @Test
    void caddyConvention() {
        assertEquals(401, caddy("PUT", PROJECTS + "/p1", null).status());
        assertEquals(403, caddy("PUT", PROJECTS + "/p1", viewer).status());
        assertEditorAllowed(caddy("PUT", PROJECTS + "/p1", editor));
    }

    @Test
    void envoyConvention() {
        Reply anonymous = envoy("POST", PROJECTS, null, Map.of());
        assertEquals(401, anonymous.status());
        assertNotNull(anonymous.headers().get("WWW-Authenticate"));
        Reply viewerWrite = envoy("POST", PROJECTS, viewer, Map.of());
        assertEquals(403, viewerWrite.status());
        assertTrue(viewerWrite.detail().contains("requires role Editor"), viewerWrite.detail());
        assertEditorAllowed(envoy("POST", PROJECTS, editor, Map.of("X-Keygate-Principal", "admin@example.com")));
        assertEquals(200, envoy("GET", PROJECTS + "?page=2", viewer, Map.of()).status());
        Reply delete = envoy("DELETE", PROJECTS + "/p1", editor, Map.of());
        assertEquals(200, delete.status(), delete.body());
    }

    private static void assertEditorAllowed(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals("editor@example.com", reply.headers().get("X-Keygate-Principal"), "the token's caller, never the client's header");
        assertEquals("editor@example.com", reply.headers().get("X-Keygate-Email"));
        assertEquals("ws", reply.headers().get("X-Keygate-Workspace"));
        assertEquals("Editor", reply.headers().get("X-Keygate-Role"));
        assertTrue(reply.headers().containsKey("X-Keygate-Scopes"), "every identity header is answered, so a proxy overwrites all");
        assertEquals("no-store", reply.headers().get("Cache-Control"));
    }

    @Test
    void invalidTokenIsTheGatewaysOwn401() {
        Reply reply = traefik(gateway, "GET", PROJECTS, "not-a-jwt", Map.of());
        assertEquals(401, reply.status());
        assertTrue(reply.headers().get("WWW-Authenticate").contains("error=\"invalid_token\""), reply.headers().toString());
    }

    @Test
    void restrictedScopesAreCheckedAsOnTheGatewaysOwnRoutes() {
        String readOnly = issuer.token("ro@example.com", Map.of("ws", "Admin"), c -> c.claim("scope", "openid platform:read"));
        Reply own = new Reply(gateway.call("POST", PROJECTS, Map.of("Authorization", "Bearer " + readOnly)).status(), Map.of(), "");
        Reply forwarded = traefik(gateway, "POST", PROJECTS, readOnly, Map.of());
        assertEquals(403, forwarded.status(), forwarded.body());
        assertEquals(own.status(), forwarded.status(), "same decision as the gateway's own route");
        assertTrue(forwarded.headers().get("WWW-Authenticate").contains("insufficient_scope"), forwarded.headers().toString());
        assertEquals(200, traefik(gateway, "GET", PROJECTS, readOnly, Map.of()).status());
    }

    @Test
    void badInputIs400WithDetailNever500() {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("no original request", Map.of());
        cases.put("URI without method", Map.of("X-Original-URI", PROJECTS));
        cases.put("relative URI", Map.of("X-Original-Method", "GET", "X-Original-URI", "apis/x"));
        cases.put("unknown method", Map.of("X-Original-Method", "BREW", "X-Original-URI", PROJECTS));
        cases.put("conflicting conventions", Map.of("X-Original-Method", "GET", "X-Original-URI", PROJECTS,
                "X-Forwarded-Method", "POST", "X-Forwarded-Uri", PROJECTS));
        cases.put("dot segments", Map.of("X-Original-Method", "GET", "X-Original-URI", "/apis/entities/v2/workspaces/ws/../x"));
        cases.put("encoded slash", Map.of("X-Original-Method", "GET", "X-Original-URI", "/apis/entities/v2/workspaces/a%2Fb/projects"));
        cases.forEach((what, headers) -> {
            Map<String, String> withToken = new LinkedHashMap<>(headers);
            withToken.put("Authorization", "Bearer " + editor);
            Reply reply = call(gateway, "GET", "/forward-auth", withToken);
            assertEquals(400, reply.status(), what + ": " + reply.body());
            assertFalse(reply.detail().isBlank(), what);
            System.out.println("[keygate-test] forward-auth bad input (" + what + ") -> 400 " + reply.detail());
        });
    }

    @Test
    void theAuditRecordsTheOriginalRequest() {
        traefik(gateway, "DELETE", PROJECTS + "/audited-one", viewer, Map.of());
        AuditEntry entry = gateway.audit.stream().filter(e -> e.path() != null && e.path().endsWith("/audited-one")).findFirst()
                .orElseThrow(() -> new AssertionError("no audit entry for the proxied DELETE: " + gateway.audit));
        assertEquals("DELETE", entry.method());
        assertEquals(403, entry.status());
        assertEquals("viewer@example.com", entry.principal());
        assertEquals("ws", entry.workspace());
    }

    @Test
    void guardsChooseThePolicyByHostAndPrefix() {
        // NMP's own file for its host: listing members needs Admin there (the gateway's policy lets a Viewer list them)
        String members = "/apis/entities/v2/workspaces/ws/members";
        Map<String, String> nmpHost = Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", members, "X-Forwarded-Host", "nmp.example.com",
                "Authorization", "Bearer " + editor);
        Reply nmp = call(guarded, "GET", "/forward-auth", nmpHost);
        assertEquals(403, nmp.status(), nmp.body());
        Reply own = traefik(guarded, "GET", members, editor, Map.of());
        assertEquals(200, own.status(), own.body());
        assertEquals("editor@example.com", own.headers().get("X-User"), "renamed principal header");
        assertEquals("Editor", own.headers().get("X-Keygate-Role"));
        // no guard covers other prefixes on other hosts
        Reply uncovered = traefik(guarded, "GET", "/apis/models/v2/workspaces/ws/models", editor, Map.of());
        assertEquals(403, uncovered.status());
        assertTrue(uncovered.detail().contains("no forward-auth guard covers"), uncovered.detail());
        // the pinned convention ignores nginx headers a client adds
        Map<String, String> sneaky = new LinkedHashMap<>(Map.of("X-Original-Method", "GET", "X-Original-URI", members));
        Reply pinned = traefik(guarded, "POST", PROJECTS, editor, sneaky);
        assertEquals(200, pinned.status(), pinned.body());
    }
}
