package io.keygate.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@code forwardAuth.port}: the forward-auth endpoint on a port of its own that serves nothing else; config refused when wrong. */
class ForwardAuthPortTest {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ownPortServesOnlyForwardAuth() throws Exception {
        int own = freePort();
        try (TestIssuer issuer = new TestIssuer("port");
             TestGateway gateway = new TestGateway("server:\n  host: 127.0.0.1\nforwardAuth:\n  port: " + own + "\n"
                     + TestGateway.config(TestGateway.issuerYaml("port", issuer, TestIssuer.AUDIENCE, "")))) {
            assertNotEquals(own, gateway.port(), "the gateway's own port stays the main one");
            String token = issuer.token("v@example.com", Map.of("ws", "Viewer"));
            Map<String, String> ask = Map.of("X-Original-Method", "GET", "X-Original-URI", "/apis/entities/v2/workspaces/ws/projects",
                    "Authorization", "Bearer " + token);
            assertEquals(200, get(own, "/forward-auth", ask).statusCode());
            assertEquals(200, get(gateway.port(), "/forward-auth", ask).statusCode(), "still on the gateway's port too");
            HttpResponse<String> other = get(own, "/healthz", Map.of());
            assertEquals(404, other.statusCode(), other.body());
            assertTrue(other.body().contains("serves only /forward-auth"), other.body());
            assertEquals(200, get(gateway.port(), "/healthz", Map.of()).statusCode());
        }
    }

    @Test
    void wrongSettingsStopStartUp() {
        for (String yaml : new String[] {"forwardAuth:\n  envoyPrefix: /envoy\n", "forwardAuth:\n  conventions: [haproxy]\n",
                "forwardAuth:\n  identityHeaders:\n    principal: \"X User\"\n", "forwardAuth:\n  guards:\n    - prefix: /a/\n",
                "forwardAuth:\n  guards:\n    - policy: /no/such/file.yaml\n", "forwardAuth:\n  guards:\n    - hots: a\n",
                "upstreams:\n  - prefix: /a\n", "upstreams:\n  - prefix: /a\n    url: ftp://x\n",
                "upstreams:\n  - prefix: /a/{x}\n    url: http://x\n",
                "upstreams:\n  - prefix: /a\n    url: http://x\n  - prefix: /a/b\n    url: http://y\n",
                "upstreams:\n  - prefix: /a\n    url: http://x\n    readTimeout: forever\n",
                "upstreams:\n  - prefix: /apis/entities\n    url: http://x\n", "upstreams:\n  - prefix: /healthz\n    url: http://x\n",
                "upstreams:\n  - prefix: /forward-auth\n    url: http://x\n"}) {
            Executable start = () -> new TestGateway("auth:\n  enabled: false\n" + yaml).close();
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, start, yaml);
            assertTrue(e.getMessage().startsWith("invalid configuration: ") || e.getMessage().startsWith("invalid policy"), e.getMessage());
            System.out.println("[keygate-test] refused config: " + yaml.replace("\n", " ") + "-> " + e.getMessage());
        }
    }
}
