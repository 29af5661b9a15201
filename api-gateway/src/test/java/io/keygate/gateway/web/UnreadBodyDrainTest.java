package io.keygate.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over a raw socket, so the test controls when the body arrives: a denied request whose body comes
 * after the headers must not cost the client its connection (CI once lost a response this way).
 */
class UnreadBodyDrainTest {

    private static final String DENIED_POST = "/apis/entities/v2/workspaces/ws/projects";
    private static TestIssuer issuer;
    private static TestGateway gateway;
    private static String viewerToken;

    @BeforeAll
    static void start() {
        issuer = new TestIssuer("drain");
        gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("drain", issuer, TestIssuer.AUDIENCE, "")));
        viewerToken = issuer.token("viewer@example.com", Map.of("ws", "Viewer"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        issuer.close();
    }

    @Test
    void aDeniedRequestWhoseSmallBodyArrivesLateKeepsTheConnectionForTheNextRequest() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", DENIED_POST, "Content-Type: application/json\r\nContent-Length: 2\r\n"));
            out.flush();
            Thread.sleep(300);
            out.write("{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String denied = readResponse(socket.getInputStream());
            assertTrue(denied.startsWith("HTTP/1.1 403"), denied);
            assertTrue(denied.contains("requires role Editor"), denied);
            assertFalse(denied.toLowerCase().contains("connection: close"), denied);

            out.write(head("GET", "/apis/entities/v2/workspaces/ws/projects", ""));
            out.flush();
            String next = readResponse(socket.getInputStream());
            assertTrue(next.startsWith("HTTP/1.1 200"), next);
        }
    }

    @Test
    void aRequestWithoutCredentialsIsAnsweredAtOnceAndItsBodyNeverWaitedFor() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST " + DENIED_POST + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String refused = readResponse(socket.getInputStream());
            assertTrue(refused.startsWith("HTTP/1.1 401"), refused);
            assertTrue(refused.toLowerCase().contains("connection: close"), refused);
        }
    }

    @Test
    void aDeniedRequestDeclaringALargeBodyIsAnsweredAtOnceAndTheConnectionClosed() throws Exception {
        try (Socket socket = connect()) {
            long declared = UnreadBodyDrain.MAX_DRAINED_BYTES * 100;
            socket.getOutputStream().write(head("POST", DENIED_POST, "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n"));
            socket.getOutputStream().flush();
            String denied = readResponse(socket.getInputStream());
            assertTrue(denied.startsWith("HTTP/1.1 403"), denied);
            assertTrue(denied.toLowerCase().contains("connection: close"), denied);
            assertEquals(-1, socket.getInputStream().read(), "the gateway ends the connection after the answer");
        }
    }

    @Test
    void aDeniedChunkedRequestIsAnsweredAndTheConnectionClosed() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(head("POST", DENIED_POST, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"));
            socket.getOutputStream().write("2\r\n{}\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String denied = readResponse(socket.getInputStream());
            assertTrue(denied.startsWith("HTTP/1.1 403"), denied);
            assertTrue(denied.toLowerCase().contains("connection: close"), denied);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] head(String method, String path, String extraHeaders) {
        return (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + viewerToken + "\r\n"
                + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Status line, headers and a Content-Length body; "EOF" when the connection ends first. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "EOF after: " + head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
