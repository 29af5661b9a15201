package io.keygate.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cluster's load balancer in the tests: a reverse proxy on 127.0.0.1 whose URL is both
 * nodes' {@code hostname} (so their tokens' {@code iss} and the transmitter's origin), forwarding
 * every request to the node {@link #routeTo(String) currently chosen}. Long-polls pass through
 * (up to 10 minutes per request).
 */
public final class FrontendProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "expect");

    private final AtomicReference<String> target = new AtomicReference<>();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FrontendProxy(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::forward);
        server.start();
    }

    /** The frontend URL ({@code localhost}, as the nodes' {@code hostname}). */
    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Sends every following request to {@code baseUrl} (a node's own URL). */
    public void routeTo(String baseUrl) {
        target.set(baseUrl.replaceAll("/+$", ""));
    }

    private void forward(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.get() + ex.getRequestURI()))
                .timeout(Duration.ofMinutes(10))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            ex.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
        } catch (IOException nodeDown) {
            ex.sendResponseHeaders(502, -1);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
