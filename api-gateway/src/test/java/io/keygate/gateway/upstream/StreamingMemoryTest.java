package io.keygate.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.support.ReferencePolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming through the gateway's upstream proxy, in a gateway JVM of its own limited to
 * {@code -Xmx256m}: a 50 MB upload reaches the upstream whole while the client is still sending
 * (so it is never held whole), and server-sent events reach the client one by one (the upstream
 * sends the next event only after the client has received the previous one). No timing asserts:
 * a buffering proxy would deadlock those hand-offs, which the test detects with generous bounds.
 */
class StreamingMemoryTest {

    private static final long UPLOAD_BYTES = 50L * 1024 * 1024;
    private static final int EVENTS = 10;

    private static HttpServer upstream;
    private static Process gateway;
    private static PrintStream gatewayIn;
    private static BufferedReader gatewayOut;
    private static int port;
    private static final AtomicLong uploaded = new AtomicLong();
    private static final AtomicLong checksum = new AtomicLong();
    private static final CountDownLatch firstMegabyte = new CountDownLatch(1);
    private static final Semaphore received = new Semaphore(0);
    private static final AtomicBoolean eventsWaitedInVain = new AtomicBoolean();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/apis/files", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] buffer = new byte[65536];
                long sum = 0;
                long total = 0;
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        sum += buffer[i] & 0xff;
                    }
                    total += n;
                    if (total >= 1024 * 1024) {
                        firstMegabyte.countDown();
                    }
                }
                uploaded.set(total);
                checksum.set(sum);
            }
            byte[] reply = ("{\"received\":" + uploaded.get() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        upstream.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 1; i <= EVENTS; i++) {
                    out.write(("data: event-" + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (i < EVENTS && !acquire()) {
                        eventsWaitedInVain.set(true);
                    }
                }
            }
        });
        upstream.start();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        gateway = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StreamingGatewayMain.class.getName(), "http://127.0.0.1:" + upstream.getAddress().getPort(),
                ReferencePolicy.file().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        gatewayIn = new PrintStream(gateway.getOutputStream(), true, StandardCharsets.UTF_8);
        gatewayOut = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        port = Integer.parseInt(line("PORT ").substring(5).trim());
    }

    private static boolean acquire() {
        try {
            return received.tryAcquire(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The child's next stdout line starting with {@code prefix} (its log lines are skipped). */
    private static String line(String prefix) throws IOException {
        for (String line = gatewayOut.readLine(); line != null; line = gatewayOut.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("the gateway process ended (exit " + gateway.exitValue() + ") before printing " + prefix);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (gateway != null) {
            gatewayIn.close();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        upstream.stop(0);
    }

    @Test
    void a50MegabyteUploadStreamsToTheUpstreamWithinA256MegabyteHeap() throws Exception {
        AtomicBoolean sentBeforeUpstreamSawAnything = new AtomicBoolean();
        AtomicLong expectedSum = new AtomicLong();
        InputStream generated = new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= UPLOAD_BYTES) {
                    return -1;
                }
                if (position >= UPLOAD_BYTES / 2 && firstMegabyte.getCount() > 0) {
                    // half sent: a streaming gateway has passed the first megabyte on by now
                    try {
                        if (!firstMegabyte.await(60, TimeUnit.SECONDS)) {
                            sentBeforeUpstreamSawAnything.set(true);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = (int) Math.min(len, UPLOAD_BYTES - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((position + i) * 31);
                    expectedSum.addAndGet(b[off + i] & 0xff);
                }
                position += n;
                return n;
            }
        };
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up/apis/files/v2/workspaces/ws/filesets/f1/-/big.bin"))
                .timeout(Duration.ofMinutes(3))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> generated), UPLOAD_BYTES)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(UPLOAD_BYTES, uploaded.get(), "the upstream received every byte");
        assertEquals(expectedSum.get(), checksum.get(), "and the same bytes");
        assertFalse(sentBeforeUpstreamSawAnything.get(), "the upstream received the first megabyte before the client had sent half: not buffered whole");
        assertTrue(gateway.isAlive(), "the gateway JVM did not die (no OutOfMemoryError)");
        gatewayIn.println("peak");
        String peak = line("PEAK ");
        System.out.println("[keygate-test] streaming: 50 MB upload through the gateway (-Xmx256m child JVM) in " + millis
                + " ms; upstream received " + uploaded.get() + " bytes, checksum equal; the first MB arrived upstream while the client "
                + "was still sending; gateway heap " + peakMegabytes(peak));
    }

    private static String peakMegabytes(String line) {
        String[] parts = line.split(" ");
        return "peak " + Long.parseLong(parts[1]) / (1024 * 1024) + " MB of max " + Long.parseLong(parts[3]) / (1024 * 1024) + " MB";
    }

    @Test
    void serverSentEventsArriveOneByOneThroughTheInferenceProxyAndAnUpstreamRoute() throws Exception {
        for (String path : List.of("/apis/inference-gateway/v2/workspaces/ws/openai/-/v1/chat/completions",
                "/up/apis/inference-gateway/v2/workspaces/ws/openai/-/v1/chat/completions")) {
            received.drainPermits();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build();
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode(), path);
            List<String> events = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("data: ")) {
                        events.add(line.substring(6));
                        received.release();
                    }
                }
            }
            assertEquals(EVENTS, events.size(), path + ": " + events);
            assertEquals("event-" + EVENTS, events.get(EVENTS - 1));
            assertFalse(eventsWaitedInVain.get(), path + ": the upstream waited for the client to see an event it had sent: buffered");
            System.out.println("[keygate-test] streaming: " + EVENTS + " server-sent events through " + path
                    + " arrived one by one (each sent only after the client had received the previous one)");
        }
        assertTrue(gateway.isAlive());
    }
}
