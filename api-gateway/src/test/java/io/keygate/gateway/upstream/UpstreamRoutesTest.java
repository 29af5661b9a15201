package io.keygate.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.support.ReferencePolicy;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own upstream routes, over real HTTP to a real (JDK) upstream: NeMo Platform's
 * published policy guarding an NMP-shaped service (a sample of its endpoints per role and for
 * restricted scopes; the upstream sees exactly the allowed requests), identity headers added and
 * forged ones, {@code Authorization} and dev headers dropped, 502/504 with a clear detail.
 */
class UpstreamRoutesTest {

    private static final List<String> seen = new CopyOnWriteArrayList<>();
    private static final Map<String, Map<String, String>> headersSeen = new ConcurrentHashMap<>();
    private static TestIssuer issuer;
    private static HttpServer upstream;
    private static TestGateway gateway;
    private static int closedPort;

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", exchange -> {
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            seen.add(request);
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            headersSeen.put(request, headers);
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().startsWith("/slow")) {
                sleep(3000);
            }
            byte[] body = ("upstream saw " + request).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Upstream", "nmp");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        issuer = new TestIssuer("up");
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort();
        gateway = new TestGateway("""
                upstreams:
                  - prefix: /nmp
                    url: %s
                    policy: %s
                    publicPaths: [/apis/auth/discovery]
                  - prefix: /passing
                    url: %s/base
                    forwardAuthorization: true
                    forwardDevHeaders: true
                    policy: %s
                  - prefix: /down
                    url: http://127.0.0.1:%d
                    policy: %s
                  - prefix: /slow
                    url: %s/slow
                    readTimeout: 300ms
                    policy: %s
                """.formatted(url, ReferencePolicy.file(), url, ReferencePolicy.file(), closedPort, ReferencePolicy.file(), url,
                ReferencePolicy.file()) + TestGateway.config(TestGateway.issuerYaml("up", issuer, TestIssuer.AUDIENCE, "")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop(0);
        issuer.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String token(String role, String... scopes) {
        Map<String, String> workspaces = role == null || role.equals("PlatformAdmin") ? Map.of() : Map.of("ws", role);
        return issuer.token(role == null ? "nobody@example.com" : role.toLowerCase(Locale.ROOT) + "@example.com", workspaces, claims -> {
            if (scopes.length > 0) {
                claims.claim("scope", String.join(" ", scopes));
            }
            if ("PlatformAdmin".equals(role)) {
                claims.claim("realm_access", Map.of("roles", List.of("platform-admin")));
            }
        });
    }

    /** method, NMP path, lowest role the reference file allows (null: only PlatformAdmin). */
    private static final String[][] SAMPLES = {
            {"GET", "/apis/models/v2/workspaces/ws/models", "Viewer"},
            {"POST", "/apis/models/v2/workspaces/ws/models", "Editor"},
            {"PATCH", "/apis/models/v2/workspaces/ws/models/m1", "Editor"},
            {"GET", "/apis/entities/v2/workspaces/ws/members", "Admin"},
            {"POST", "/apis/entities/v2/workspaces/ws/members", "Admin"},
            {"PUT", "/apis/files/v2/workspaces/ws/filesets/f1/-/dir/file.txt", "Editor"},
            {"GET", "/apis/files/v2/workspaces/ws/filesets/f1/-/dir/file.txt", "Viewer"},
            {"POST", "/apis/jobs/v2/workspaces/ws/jobs/j1/cancel", "Editor"},
            {"GET", "/apis/auth/v2/iam/role-bindings", "Admin"},
            {"POST", "/apis/secrets/v2/rotate-encryption-keys", null},
            {"GET", "/apis/nothing/here", null},
    };

    private static final List<String> ROLES = List.of("Viewer", "Editor", "Admin");

    @Test
    void theReferencePolicyDecidesAndTheUpstreamSeesOnlyAllowedRequests() {
        List<String> expectedAtUpstream = new ArrayList<>();
        int allowed = 0;
        int denied = 0;
        for (String[] sample : SAMPLES) {
            int threshold = sample[2] == null ? Integer.MAX_VALUE : ROLES.indexOf(sample[2]);
            for (int r = 0; r < ROLES.size(); r++) {
                String role = ROLES.get(r);
                boolean allow = r >= threshold;
                String tag = "q=" + role + "-" + sample[0];
                int status = call(sample[0], "/nmp" + sample[1] + "?" + tag, token(role)).status();
                assertEquals(allow ? 200 : 403, status, sample[0] + " " + sample[1] + " as " + role);
                if (allow) {
                    expectedAtUpstream.add(sample[0] + " " + sample[1] + "?" + tag);
                    allowed++;
                } else {
                    denied++;
                }
            }
            boolean adminAllowed = !sample[1].equals("/apis/nothing/here");
            String tag = "q=PlatformAdmin-" + sample[0];
            assertEquals(adminAllowed ? 200 : 403, call(sample[0], "/nmp" + sample[1] + "?" + tag, token("PlatformAdmin")).status(),
                    sample[1] + " as PlatformAdmin");
            if (adminAllowed) {
                expectedAtUpstream.add(sample[0] + " " + sample[1] + "?" + tag);
            }
            assertEquals(401, call(sample[0], "/nmp" + sample[1] + "?q=anonymous", null).status());
        }
        // restricted scopes, as the file says: models:read covers reads only, platform:write covers writes
        String models = "/apis/models/v2/workspaces/ws/models";
        assertEquals(200, call("GET", "/nmp" + models + "?q=scoped-read", token("Editor", "openid", "models:read")).status());
        expectedAtUpstream.add("GET " + models + "?q=scoped-read");
        TestGateway.Response scopedWrite = call("POST", "/nmp" + models + "?q=scoped-write", token("Editor", "openid", "models:read"));
        assertEquals(403, scopedWrite.status());
        assertTrue(scopedWrite.wwwAuthenticate().contains("insufficient_scope"), scopedWrite.wwwAuthenticate());
        assertEquals(200, call("POST", "/nmp" + models + "?q=platform-write", token("Editor", "platform:write")).status());
        expectedAtUpstream.add("POST " + models + "?q=platform-write");
        assertEquals(403, call("POST", "/nmp" + models + "?q=viewer-with-scope", token("Viewer", "models:write")).status(),
                "a scope never replaces the role");
        // public path of the upstream: no token needed, forwarded without identity
        assertEquals(200, call("GET", "/nmp/apis/auth/discovery", null).status());
        expectedAtUpstream.add("GET /apis/auth/discovery");
        List<String> atUpstream = seen.stream().filter(r -> !r.contains("/base/") && !r.startsWith("GET /slow") && !r.endsWith("q=headers")).toList();
        assertEquals(expectedAtUpstream, atUpstream, "the upstream saw exactly the allowed requests, in order");
        System.out.println("[keygate-test] NMP reference policy on upstream /nmp: " + SAMPLES.length + " endpoints x 4 callers + scopes: "
                + allowed + " role-allowed, " + denied + " role-denied; upstream received " + atUpstream.size() + " requests, all allowed");
    }

    private static TestGateway.Response call(String method, String path, String token) {
        return gateway.call(method, path, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void identityHeadersAreAddedAndForgedOnesAuthorizationAndDevHeadersDropped() {
        String path = "/nmp/apis/models/v2/workspaces/ws/models?q=headers";
        TestGateway.Response response = gateway.call("GET", path, Map.of("Authorization", "Bearer " + token("Editor", "openid", "models:read"),
                "X-Keygate-Principal", "admin@example.com", "X-Keygate-Role", "PlatformAdmin", "X-NMP-Principal-Id", "admin@example.com",
                "X-Request-Id", "r-1"));
        assertEquals(200, response.status(), response.body());
        Map<String, String> headers = headersSeen.get("GET /apis/models/v2/workspaces/ws/models?q=headers");
        assertEquals("editor@example.com", headers.get("x-keygate-principal"));
        assertEquals("editor@example.com", headers.get("x-keygate-email"));
        assertEquals("Editor", headers.get("x-keygate-role"));
        assertEquals("ws", headers.get("x-keygate-workspace"));
        assertEquals("models:read openid", headers.get("x-keygate-scopes"));
        assertNull(headers.get("authorization"));
        assertNull(headers.get("x-nmp-principal-id"));
        assertEquals("r-1", headers.get("x-request-id"));
        TestGateway.Response passing = gateway.call("GET", "/passing/apis/models/v2/workspaces/ws/models?q=pass",
                Map.of("Authorization", "Bearer " + token("Viewer"), "X-Keygate-Principal", "forged", "X-NMP-Principal-Id", "dev-user"));
        assertEquals(200, passing.status(), passing.body());
        Map<String, String> passed = headersSeen.get("GET /base/apis/models/v2/workspaces/ws/models?q=pass");
        assertTrue(passed.get("authorization").startsWith("Bearer "), "forwardAuthorization: true passes the token on");
        assertEquals("dev-user", passed.get("x-nmp-principal-id"), "forwardDevHeaders: true passes them on");
        assertEquals("viewer@example.com", passed.get("x-keygate-principal"), "identity headers are never the client's");
    }

    @Test
    void unreachableUpstreamIs502AndASlowOneIs504WithDetail() {
        String token = token("Viewer");
        TestGateway.Response down = call("GET", "/down/apis/models/v2/workspaces/ws/models", token);
        assertEquals(502, down.status(), down.body());
        assertTrue(down.body().contains("upstream /down is unreachable"), down.body());
        TestGateway.Response slow = call("GET", "/slow/apis/models/v2/workspaces/ws/models", token);
        assertEquals(504, slow.status(), slow.body());
        assertTrue(slow.body().contains("upstream /slow did not answer within 300 ms"), slow.body());
        System.out.println("[keygate-test] upstream failures: " + down.status() + " " + down.body() + "; " + slow.status() + " " + slow.body());
        TestGateway.Response denied = call("GET", "/down/apis/secrets/v2/rotate-encryption-keys", token);
        assertEquals(403, denied.status(), "the policy runs before any connection to the upstream");
        assertFalse(down.body().contains(token));
    }
}
