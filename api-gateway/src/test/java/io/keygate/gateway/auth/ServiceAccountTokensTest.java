package io.keygate.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's own token: one fetch for many concurrent callers, renewed in the background, no lock held over the network. */
class ServiceAccountTokensTest {

    private HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean holdResponses;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T12:00:00Z"));
    private ServiceAccountTokens tokens;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/token", exchange -> {
            int n = fetches.incrementAndGet();
            if (holdResponses) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("{\"access_token\":\"token-" + n + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        tokens = new ServiceAccountTokens(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token"),
                "keygate-gateway", "secret", new ObjectMapper(), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void concurrentFirstCallersShareOneFetch() throws Exception {
        holdResponses = true;
        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(callers.submit(tokens::token));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fetches.get() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (Future<String> answer : answers) {
            seen.add(answer.get(10, TimeUnit.SECONDS));
        }
        callers.shutdown();
        assertEquals(Set.of("token-1"), seen);
        assertEquals(1, fetches.get());
    }

    @Test
    void aTokenNearItsExpiryIsServedWhileOneBackgroundFetchRenewsIt() throws Exception {
        assertEquals("token-1", tokens.token());
        assertEquals("token-1", tokens.token());
        assertEquals(1, fetches.get(), "a valid token is not fetched again");
        now.set(now.get().plusSeconds(300).minus(ServiceAccountTokens.REFRESH_MARGIN).plusSeconds(1));
        holdResponses = true;
        long started = System.nanoTime();
        assertEquals("token-1", tokens.token(), "still valid: served at once, not after the fetch");
        assertEquals("token-1", tokens.token());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("[keygate-test] two calls during a held renewal returned in " + tookMillis + " ms");
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String renewed = tokens.token();
        while (!renewed.equals("token-2") && System.nanoTime() < deadline) {
            Thread.sleep(10);
            renewed = tokens.token();
        }
        assertEquals("token-2", renewed);
        assertEquals(2, fetches.get(), "one renewal for all the calls made during it");
    }

    @Test
    void noTokenAtAllIsAClearFailure() {
        status.set(401);
        IllegalStateException failure = assertThrows(IllegalStateException.class, tokens::token);
        assertTrue(failure.getMessage().contains("401"), failure.getMessage());
        status.set(200);
        assertEquals("token-2", tokens.token(), "a failed fetch is not cached");
    }
}
