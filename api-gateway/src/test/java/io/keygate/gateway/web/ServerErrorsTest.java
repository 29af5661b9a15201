package io.keygate.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.support.RawHttp;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Errors the HTTP server produces before any route runs (request line, URI, headers, encoding),
 * sent over a raw socket because no well-behaved client sends them: each must answer the
 * gateway's {@code {"detail": ...}} JSON with the right status, never Jetty's HTML page.
 */
class ServerErrorsTest {

    private static final String WORKSPACES = "/apis/entities/v2/workspaces";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestIssuer issuer;
    private static TestGateway gateway;
    private static TestGateway open;
    private static RawHttp raw;
    private static RawHttp rawOpen;
    private static String token;

    @BeforeAll
    static void start() {
        issuer = new TestIssuer("server-errors");
        gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("server-errors", issuer, TestIssuer.AUDIENCE, "")));
        raw = new RawHttp("127.0.0.1", gateway.port());
        token = issuer.token("alice@example.com", Map.of("ws", "Admin"));
        RouteModule readsBody = routes -> routes.addHttpHandler(HandlerType.POST, "/body", ctx -> ctx.result(ctx.body().length() + ""));
        open = new TestGateway("auth:\n  enabled: false\n", Map.of(), List.of(readsBody));
        rawOpen = new RawHttp("127.0.0.1", open.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        open.close();
        issuer.close();
    }

    @Test
    void aTenKilobytePathIs414() {
        assertJsonError(414, raw.request("GET", WORKSPACES + "/" + "a".repeat(10 * 1024), auth()));
    }

    @Test
    void aTenKilobyteQueryStringIs414() {
        assertJsonError(414, raw.request("GET", WORKSPACES + "?sort=" + "x".repeat(10 * 1024), auth()));
    }

    @Test
    void aRequestLineOverJettysHeaderLimitIs414() {
        assertJsonError(414, raw.request("GET", WORKSPACES + "/" + "a".repeat(70 * 1024), auth()));
    }

    @Test
    void aNulByteInASegmentIs400() {
        assertJsonError(400, raw.request("GET", WORKSPACES + "/ws%00evil", auth()));
    }

    @Test
    void anAmbiguousDotDotSemicolonSegmentIs400() {
        assertJsonError(400, raw.request("GET", WORKSPACES + "/..;/ws/projects", auth()));
    }

    @Test
    void anEncodedSlashIs400() {
        assertJsonError(400, raw.request("GET", WORKSPACES + "/ws%2Fprojects", auth()));
    }

    @Test
    void invalidUtf8InThePathIs400() {
        assertJsonError(400, raw.request("GET", WORKSPACES + "/ws%C3%28", auth()));
    }

    @Test
    void anUnknownMethodIs501() {
        assertJsonError(501, raw.request("FROBNICATE", WORKSPACES, auth()));
    }

    @Test
    void aHeaderLineWithoutAColonIs400() {
        assertJsonError(400, raw.request("GET", WORKSPACES, auth(), "this header has no colon"));
    }

    @Test
    void headersLargerThanTheLimitAre431() {
        assertJsonError(431, raw.request("GET", WORKSPACES, auth(), "X-Padding: " + "p".repeat(70 * 1024)));
    }

    @Test
    void anUnsupportedHttpVersionIsAJsonError() {
        RawHttp.Reply reply = raw.send("GET " + WORKSPACES + " HTTP/7.3\r\nHost: x", new byte[0]);
        assertTrue(reply.status() == 400 || reply.status() == 505, "status " + reply.status());
        assertJsonError(reply.status(), reply);
    }

    @Test
    void aRefusedPutOrDeleteAlsoGetsAJsonBody() {
        // Jetty writes error pages only for GET, POST and HEAD unless told otherwise
        assertJsonError(400, raw.request("PUT", WORKSPACES + "/..;/ws", auth(), "Content-Type: application/json"));
        assertJsonError(400, raw.request("DELETE", WORKSPACES + "/ws%00", auth()));
    }

    @Test
    void aHeadRequestGetsTheStatusWithoutABody() {
        RawHttp.Reply reply = raw.request("HEAD", WORKSPACES + "/..;/ws", auth());
        assertEquals(400, reply.status());
        assertEquals("", reply.body());
    }

    @Test
    void aBodyOverTheRequestSizeLimitIs413() {
        byte[] body = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        assertJsonError(413, rawOpen.send("POST /body HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json", body));
    }

    @Test
    void aPathNoRouteServesIs404() {
        assertJsonError(404, rawOpen.request("GET", "/no/such/route"));
    }

    private static String auth() {
        return "Authorization: Bearer " + token;
    }

    static void assertJsonError(int status, RawHttp.Reply reply) {
        System.out.println("[keygate-test] " + StackWalker.getInstance().walk(f -> f.skip(1).findFirst().get().getMethodName()) + " " + reply.status() + " " + reply.contentType() + " " + reply.body());
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("application/json"), "Content-Type: " + reply.contentType());
        JsonNode body;
        try {
            body = JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + reply.body(), e);
        }
        assertTrue(body.path("detail").isTextual() && !body.path("detail").asText().isBlank(), reply.body());
        assertFalse(reply.body().contains("at org.eclipse") || reply.body().contains("<html"), reply.body());
    }
}
