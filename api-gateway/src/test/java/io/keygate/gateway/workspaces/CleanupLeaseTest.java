package io.keygate.gateway.workspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.resources.ResourceKind;
import io.keygate.gateway.resources.ResourceRepository;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.Migrations;
import io.keygate.gateway.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways (two cleaners with their own connection pools and lease owners) on one real
 * PostgreSQL: every cleanup runs exactly once although both scan for it, a lease is renewed while a
 * slow cleanup runs, and the lease of a gateway that died mid-way expires and is taken over.
 */
class CleanupLeaseTest {

    private static final Duration LEASE = Duration.ofMillis(300);

    private static EmbeddedPostgres postgres;
    private static HttpServer extension;
    private static final List<String> deletes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        extension = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        extension.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean delete = exchange.getRequestMethod().equals("DELETE");
            if (delete) {
                sleepQuietly(LEASE.toMillis() + 150); // longer than a lease: only renewal keeps it
                deletes.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            }
            byte[] answer = delete ? new byte[0] : "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(delete ? 204 : 200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        extension.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        extension.start();
    }

    @AfterAll
    static void stop() throws IOException {
        extension.stop(0);
        postgres.close();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Database gatewayStore() {
        return new Database(new StoreConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 4));
    }

    private static WorkspaceCleaner gateway(Database store, String name) {
        return new WorkspaceCleaner(new CleanupRepository(store), new ResourceRepository(store, new ObjectMapper()),
                new ExtensionClient("http://127.0.0.1:" + extension.getAddress().getPort() + "/realms/keygate/keygate"),
                () -> "token-" + name, new WorkspaceCleaner.Lease(name, LEASE));
    }

    private static void holdResources(ResourceRepository resources, String workspace) {
        resources.create(ResourceKind.PROJECT, workspace, "p1", null, new ObjectMapper().createObjectNode(), "a");
        resources.create(ResourceKind.FILESET, workspace, "d1", null, new ObjectMapper().createObjectNode(), "a");
    }

    private static long deletesOf(String workspace) {
        return deletes.stream().filter(d -> d.startsWith("/realms/keygate/keygate/workspaces/" + workspace + " ")).count();
    }

    @Test
    void twoGatewaysRunEachCleanupExactlyOnce() throws Exception {
        int workspaces = 8;
        try (Database storeA = gatewayStore(); Database storeB = gatewayStore()) {
            new Migrations(storeA).migrate();
            ResourceRepository resources = new ResourceRepository(storeA, new ObjectMapper());
            CleanupRepository cleanups = new CleanupRepository(storeA);
            for (int i = 0; i < workspaces; i++) {
                holdResources(resources, "once-" + i);
                cleanups.begin("once-" + i, "owner@example.com");
            }
            try (WorkspaceCleaner a = gateway(storeA, "gw-a"); WorkspaceCleaner b = gateway(storeB, "gw-b")) {
                a.resumeUnfinished();
                b.resumeUnfinished();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (cleanups.unfinished().stream().anyMatch(c -> c.workspace().startsWith("once-")) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(a.awaitIdle(30, TimeUnit.SECONDS));
                assertTrue(b.awaitIdle(30, TimeUnit.SECONDS));
            }
            Map<String, AtomicInteger> byGateway = new ConcurrentHashMap<>();
            deletes.stream().filter(d -> d.contains("/once-")).forEach(d -> byGateway
                    .computeIfAbsent(d.substring(d.lastIndexOf(' ') + 1), k -> new AtomicInteger()).incrementAndGet());
            System.out.println("[keygate-test] " + workspaces + " cleanups, two gateways: group deletions by gateway " + byGateway);
            for (int i = 0; i < workspaces; i++) {
                assertEquals(1, deletesOf("once-" + i), "once-" + i + " deleted exactly once: " + deletes);
                assertTrue(resources.countByKind("once-" + i).isEmpty());
                assertTrue(cleanups.find("once-" + i).isEmpty());
            }
        }
    }

    @Test
    void theLeaseOfAGatewayThatDiedMidWayExpiresAndIsTakenOver() throws Exception {
        try (Database store = gatewayStore()) {
            new Migrations(store).migrate();
            ResourceRepository resources = new ResourceRepository(store, new ObjectMapper());
            CleanupRepository cleanups = new CleanupRepository(store);
            holdResources(resources, "orphan");
            cleanups.begin("orphan", "owner@example.com");
            // A gateway took the cleanup, got to stage deleting and died: its lease is never renewed.
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            OffsetDateTime deadUntil = now.plusSeconds(2);
            assertTrue(cleanups.claim("orphan", "gw-dead", now, deadUntil));
            cleanups.setStage("orphan", CleanupStage.deleting, null);

            try (WorkspaceCleaner survivor = gateway(store, "gw-survivor")) {
                survivor.resumeUnfinished();
                assertTrue(survivor.awaitIdle(10, TimeUnit.SECONDS));
                assertEquals(0, deletesOf("orphan"), "a live lease is respected");
                assertFalse(cleanups.find("orphan").isEmpty());

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (cleanups.find("orphan").isPresent() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                OffsetDateTime done = OffsetDateTime.now(ZoneOffset.UTC);
                System.out.println("[keygate-test] dead gateway's lease ran until " + deadUntil + "; taken over and finished at "
                        + done + " (" + Duration.between(deadUntil, done).toMillis() + " ms after expiry)");
                assertTrue(cleanups.find("orphan").isEmpty(), "taken over and finished");
                assertTrue(done.isAfter(deadUntil), "not before the dead gateway's lease expired");
            }
            assertEquals(1, deletesOf("orphan"));
            assertTrue(resources.countByKind("orphan").isEmpty());
        }
    }
}
