package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keygate.it.support.FreePorts;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12 with a real nginx (the distribution's package; {@code .ci/run} installs it): nginx's
 * {@code auth_request} asks the real gateway's {@code /forward-auth} (freshness on, against the real
 * Keycloak) about every request to a small real upstream, with the configuration that
 * docs/guard-existing-services.md shows ({@code nginx/forward-auth.conf}). Skipped, with the reason
 * printed, only when no nginx binary can be found.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxForwardAuthIT {

    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    HttpServer upstream;
    Process nginx;
    Path nginxDir;
    int nginxPort;
    final Http http = new Http();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    /** A request the upstream received: method, URI, headers (lower-case names), body length. */
    record Seen(String method, String uri, Map<String, String> headers, long bodyBytes) {
    }

    @BeforeAll
    void start() throws IOException {
        Optional<Path> binary = nginxBinary();
        if (binary.isEmpty()) {
            String reason = "nginx not found (PATH, /usr/sbin/nginx): install the distribution's package (apt-get install -y nginx; .ci/run does)";
            System.out.println("[keygate-it] SKIPPED NginxForwardAuthIT: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        gateway = GatewayUnderTest.receiving(keycloak, Files.createTempDirectory("keygate-nginx-it"), KeycloakServer.unique("it-nginx"),
                FreshnessIT.EVENTS);
        assertEquals("live", gateway.freshness.states().get("keygate"), gateway.freshness.states().toString());
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            long bytes;
            try (InputStream body = exchange.getRequestBody()) {
                bytes = body.transferTo(OutputStream.nullOutputStream());
            }
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, bytes));
            byte[] reply = "{\"from\":\"upstream\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        upstream.start();
        startNginx(binary.get());
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static Optional<Path> nginxBinary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void startNginx(Path binary) throws IOException {
        nginxDir = Files.createTempDirectory("keygate-nginx");
        nginxPort = FreePorts.next();
        String conf;
        try (InputStream in = getClass().getResourceAsStream("/nginx/forward-auth.conf")) {
            conf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        conf = conf.replace("@DIR@", nginxDir.toString()).replace("@PORT@", String.valueOf(nginxPort))
                .replace("@GATEWAY@", "127.0.0.1:" + gateway.app.port())
                .replace("@UPSTREAM@", "127.0.0.1:" + upstream.getAddress().getPort());
        Path file = nginxDir.resolve("nginx.conf");
        Files.writeString(file, conf);
        nginx = new ProcessBuilder(binary.toString(), "-p", nginxDir.toString(), "-c", file.toString(), "-e", nginxDir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited " + nginx.exitValue() + ": " + Files.readString(nginxDir.resolve("stdout.log"))
                        + readIfExists(nginxDir.resolve("error.log")));
            }
            if (listening(nginxPort)) {
                String version = new String(new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start().getInputStream()
                        .readAllBytes(), StandardCharsets.UTF_8).trim();
                System.out.println("[keygate-it] nginx running: " + version + " on port " + nginxPort + ", auth_request to the gateway on port "
                        + gateway.app.port());
                return;
            }
            pause(50);
        }
        throw new AssertionError("nginx did not listen on " + nginxPort + " within 20 s");
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String viaNginx(String path) {
        return "http://127.0.0.1:" + nginxPort + path;
    }

    /** A new workspace (its creator Admin) with a Viewer and an Editor; tokens minted after the grants. */
    private record Workspace(String name, String viewer, String viewerToken, String editor, String editorToken, String ownerToken) {
        String projects() {
            return WORKSPACES + "/" + name + "/projects";
        }
    }

    private Workspace workspace() {
        String owner = keycloak.newUser("nginx-owner");
        String ownerToken = keycloak.userToken(owner);
        String name = KeycloakServer.unique("nginx");
        expect(201, gateway.post(WORKSPACES, ownerToken, Map.of("name", name)));
        String viewer = keycloak.newUser("nginx-viewer");
        String editor = keycloak.newUser("nginx-editor");
        expect(201, gateway.post(WORKSPACES + "/" + name + "/members", ownerToken, Map.of("principal", viewer, "roles", List.of("Viewer"))));
        expect(201, gateway.post(WORKSPACES + "/" + name + "/members", ownerToken, Map.of("principal", editor, "roles", List.of("Editor"))));
        return new Workspace(name, viewer, keycloak.userToken(viewer), editor, keycloak.userToken(editor), keycloak.userToken(owner));
    }

    private Http.Response postViaNginx(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder request = (token == null ? HttpRequest.newBuilder(java.net.URI.create(viaNginx(path)))
                : Http.request(viaNginx(path), token)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"via-nginx\"}")));
    }

    @Test
    void noTokenIs401FromNginxWithTheGatewaysChallenge() {
        Workspace ws = workspace();
        int before = seen.size();
        Http.Response direct = gateway.post(ws.projects(), null, Map.of("name", "x"));
        Http.Response response = postViaNginx(ws.projects(), null, Map.of());
        assertEquals(401, response.status(), response.toString());
        assertEquals(direct.header("WWW-Authenticate"), response.header("WWW-Authenticate"), "the gateway's own challenge");
        assertEquals("Bearer realm=\"keygate\"", response.header("WWW-Authenticate"));
        assertTrue(response.json().get("detail").asText().startsWith("authentication required"), response.body());
        assertEquals(before, seen.size(), "the upstream saw nothing");
        System.out.println("[keygate-it] nginx no token: " + response.status() + " WWW-Authenticate: " + response.header("WWW-Authenticate"));
    }

    @Test
    void viewerWriteIs403WithTheDetail() {
        Workspace ws = workspace();
        int before = seen.size();
        Http.Response response = postViaNginx(ws.projects(), ws.viewerToken(), Map.of());
        assertEquals(403, response.status(), response.toString());
        String detail = response.json().get("detail").asText();
        assertTrue(detail.contains("requires role Editor in workspace '" + ws.name() + "'"), detail);
        assertEquals(before, seen.size(), "the upstream saw nothing");
        expect(200, http.get(viaNginx(ws.projects()), ws.viewerToken()));
        System.out.println("[keygate-it] nginx Viewer write: 403 " + response.body());
    }

    @Test
    void editorWriteReachesTheUpstreamWithIdentityAndWithoutForgedHeaders() {
        Workspace ws = workspace();
        Http.Response response = postViaNginx(ws.projects() + "?via=nginx", ws.editorToken(), Map.of("X-Keygate-Principal", "admin@example.com",
                "X-Keygate-Role", "PlatformAdmin", "X-NMP-Principal-Id", "admin@example.com"));
        assertEquals(200, response.status(), response.toString());
        assertEquals("upstream", response.json().get("from").asText());
        Seen request = seen.stream().filter(s -> s.uri().equals(ws.projects() + "?via=nginx")).findFirst()
                .orElseThrow(() -> new AssertionError("the upstream did not receive the request: " + seen));
        assertEquals("POST", request.method());
        assertEquals(ws.editor(), request.headers().get("x-keygate-principal"), "the caller from the token, not the forged header");
        assertFalse(request.headers().get("x-keygate-principal").contains("admin@example.com"));
        assertEquals(ws.editor(), request.headers().get("x-keygate-email"));
        assertEquals(ws.name(), request.headers().get("x-keygate-workspace"));
        assertEquals("Editor", request.headers().get("x-keygate-role"));
        assertNull(request.headers().get("x-nmp-principal-id"));
        assertNull(request.headers().get("authorization"), "the conf keeps the caller's token from the service");
        assertEquals("{\"name\":\"via-nginx\"}".length(), request.bodyBytes(), "the body went through");
        System.out.println("[keygate-it] nginx Editor write reached the upstream as " + request.headers().get("x-keygate-principal") + " ("
                + request.headers().get("x-keygate-role") + " in " + request.headers().get("x-keygate-workspace") + "), forged headers gone");
    }

    @Test
    void aRevokedMemberIsRefusedThroughNginxWithinOneSecond() {
        Workspace ws = workspace();
        expect(200, http.get(viaNginx(ws.projects()), ws.editorToken()));
        Http.Response removed = gateway.delete(WORKSPACES + "/" + ws.name() + "/members/" + ws.editor(), ws.ownerToken());
        long acknowledged = System.nanoTime();
        expect(200, removed);
        long ms = FreshnessIT.untilStatus(() -> http.get(viaNginx(ws.projects()), ws.editorToken()).status(), 403, acknowledged);
        System.out.printf("[keygate-it] nginx revoked member: the token minted before the removal refused (403) through nginx %d ms after "
                + "the acknowledgement%n", ms);
        assertTrue(ms < 1000, "refused after " + ms + " ms (bound 1 s)");
        int before = seen.size();
        assertEquals(403, postViaNginx(ws.projects(), ws.editorToken(), Map.of()).status());
        assertEquals(before, seen.size());
    }

    /** The gateway asked directly the way Traefik/Caddy (X-Forwarded-*) and Envoy (path under the prefix) ask, with real tokens. */
    @Test
    void sameDecisionsThroughTheTraefikCaddyAndEnvoyConventions() {
        Workspace ws = workspace();
        String[][] callers = {{"none", null}, {"Viewer", ws.viewerToken()}, {"Editor", ws.editorToken()}};
        int[] expected = {401, 403, 200};
        for (int i = 0; i < callers.length; i++) {
            String token = callers[i][1];
            HttpRequest.Builder traefik = (token == null ? HttpRequest.newBuilder(java.net.URI.create(gateway.url("/forward-auth")))
                    : Http.request(gateway.url("/forward-auth"), token)).header("X-Forwarded-Method", "POST")
                    .header("X-Forwarded-Uri", ws.projects()).header("X-Forwarded-Host", "api.example.com").header("X-Forwarded-Proto", "https")
                    .header("X-Keygate-Principal", "admin@example.com");
            HttpRequest.Builder envoy = (token == null ? HttpRequest.newBuilder(java.net.URI.create(gateway.url("/forward-auth/envoy" + ws.projects())))
                    : Http.request(gateway.url("/forward-auth/envoy" + ws.projects()), token)).header("X-Keygate-Principal", "admin@example.com");
            Http.Response viaTraefik = http.send(traefik.GET());
            Http.Response viaEnvoy = http.send(envoy.POST(HttpRequest.BodyPublishers.noBody()));
            Http.Response viaNginx = postViaNginx(ws.projects() + "?conventions", token, Map.of());
            assertEquals(expected[i], viaTraefik.status(), callers[i][0] + " traefik: " + viaTraefik);
            assertEquals(expected[i], viaEnvoy.status(), callers[i][0] + " envoy: " + viaEnvoy);
            assertEquals(expected[i], viaNginx.status(), callers[i][0] + " nginx: " + viaNginx);
            if (expected[i] == 200) {
                assertEquals(ws.editor(), viaTraefik.header("X-Keygate-Principal"));
                assertEquals(ws.editor(), viaEnvoy.header("X-Keygate-Principal"));
                assertEquals("Editor", viaEnvoy.header("X-Keygate-Role"));
            } else if (expected[i] == 401) {
                assertEquals("Bearer realm=\"keygate\"", viaTraefik.header("WWW-Authenticate"));
                assertEquals("Bearer realm=\"keygate\"", viaEnvoy.header("WWW-Authenticate"));
            } else {
                assertEquals(viaNginx.json().get("detail").asText(), viaTraefik.json().get("detail").asText());
                assertEquals(viaNginx.json().get("detail").asText(), viaEnvoy.json().get("detail").asText());
            }
            System.out.println("[keygate-it] forward-auth " + callers[i][0] + " write: nginx " + viaNginx.status() + ", Traefik/Caddy "
                    + viaTraefik.status() + ", Envoy " + viaEnvoy.status());
        }
    }

    @Test
    void clientSmuggledConventionsAndBadProxyInput() {
        // a client cannot smuggle another convention: the conf blanks X-Forwarded-Method/Uri, so this is decided as the real POST
        Workspace ws = workspace();
        Http.Response sneaky = postViaNginx(ws.projects(), ws.viewerToken(), Map.of("X-Forwarded-Method", "GET",
                "X-Forwarded-Uri", ws.projects()));
        assertEquals(403, sneaky.status(), sneaky.toString());
        Http.Response bad = http.send(Http.request(gateway.url("/forward-auth"), ws.viewerToken()).header("X-Original-URI", "not-a-path")
                .header("X-Original-Method", "GET").GET());
        assertEquals(400, bad.status(), bad.toString());
        assertTrue(bad.json().get("detail").asText().contains("must start with '/'"), bad.body());
    }
}
