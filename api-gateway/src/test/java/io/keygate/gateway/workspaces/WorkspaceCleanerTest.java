package io.keygate.gateway.workspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.resources.ResourceKind;
import io.keygate.gateway.resources.ResourceRepository;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.Migrations;
import io.keygate.gateway.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleanup's stages against a stand-in for the extension's REST API (a real HTTP server that
 * records what it is asked): deleting → gone, failed on error, retried by starting again, and
 * resumed after a restart.
 */
class WorkspaceCleanerTest {

    @TempDir
    Path dir;

    private HttpServer extension;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger deleteFailuresLeft = new AtomicInteger();
    private Database database;
    private ResourceRepository resources;
    private CleanupRepository cleanups;

    @BeforeEach
    void start() throws IOException {
        extension = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        extension.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean failDelete = exchange.getRequestMethod().equals("DELETE") && deleteFailuresLeft.getAndDecrement() > 0;
            byte[] answer = failDelete ? "{\"detail\":\"boom\"}".getBytes(StandardCharsets.UTF_8)
                    : exchange.getRequestMethod().equals("DELETE") ? new byte[0] : "{}".getBytes(StandardCharsets.UTF_8);
            int status = failDelete ? 500 : exchange.getRequestMethod().equals("DELETE") ? 204 : 200;
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        extension.start();
        database = new Database(StoreConfig.h2File(dir.resolve("db").toString()));
        new Migrations(database).migrate();
        resources = new ResourceRepository(database, new ObjectMapper());
        cleanups = new CleanupRepository(database);
    }

    @AfterEach
    void stop() {
        extension.stop(0);
        database.close();
    }

    private WorkspaceCleaner cleaner() {
        return new WorkspaceCleaner(cleanups, resources, new ExtensionClient(
                "http://127.0.0.1:" + extension.getAddress().getPort() + "/realms/keygate/keygate"), () -> "service-token");
    }

    private void holdResources(String workspace) {
        resources.create(ResourceKind.PROJECT, workspace, "p1", null, new ObjectMapper().createObjectNode(), "a");
        resources.create(ResourceKind.FILESET, workspace, "d1", null, new ObjectMapper().createObjectNode(), "a");
    }

    @Test
    void cleanupDeletesResourcesThenTheWorkspaceWithTheServiceToken() throws Exception {
        holdResources("ws-ok");
        try (WorkspaceCleaner cleaner = cleaner()) {
            cleaner.start("ws-ok", "owner@example.com");
            assertTrue(cleaner.awaitIdle(10, TimeUnit.SECONDS));
        }
        assertTrue(resources.countByKind("ws-ok").isEmpty());
        assertTrue(cleanups.find("ws-ok").isEmpty(), "gone: no record left");
        assertEquals(List.of(
                "PUT /realms/keygate/keygate/workspaces/ws-ok/deletion-stage {\"stage\":\"deleting\"} Bearer service-token",
                "DELETE /realms/keygate/keygate/workspaces/ws-ok  Bearer service-token"), calls);
    }

    @Test
    void theTestOnlyBatchedCleanupDeletesEverythingInBatchesAndOtherResourcesStay() throws Exception {
        for (int i = 0; i < 7; i++) {
            resources.create(ResourceKind.PROJECT, "ws-batched", "p" + i, null, new ObjectMapper().createObjectNode(), "a");
        }
        holdResources("ws-other");
        CleanupSettings batched = new CleanupSettings(java.time.Duration.ofSeconds(30), 3, java.time.Duration.ofMillis(10));
        try (WorkspaceCleaner cleaner = new WorkspaceCleaner(cleanups, resources, new ExtensionClient(
                "http://127.0.0.1:" + extension.getAddress().getPort() + "/realms/keygate/keygate"), () -> "service-token",
                WorkspaceCleaner.Lease.forThisProcess(batched.leaseDuration()), batched)) {
            assertEquals(3, resources.deleteWorkspaceBatch("ws-batched", 3), "a batch is at most the batch size");
            cleaner.start("ws-batched", "owner@example.com");
            assertTrue(cleaner.awaitIdle(10, TimeUnit.SECONDS));
        }
        assertTrue(resources.countByKind("ws-batched").isEmpty());
        assertTrue(cleanups.find("ws-batched").isEmpty(), "gone: no record left");
        assertEquals(2, resources.countByKind("ws-other").values().stream().mapToLong(Long::longValue).sum(), "another workspace keeps its resources");
        assertEquals(0, resources.deleteWorkspaceBatch("ws-batched", 3));
    }

    @Test
    void aFailedCleanupIsMarkedFailedAndARetryFinishesIt() throws Exception {
        holdResources("ws-retry");
        deleteFailuresLeft.set(1);
        try (WorkspaceCleaner cleaner = cleaner()) {
            cleaner.start("ws-retry", "owner@example.com");
            assertTrue(cleaner.awaitIdle(10, TimeUnit.SECONDS));
            Cleanup failed = cleanups.find("ws-retry").orElseThrow();
            assertEquals(CleanupStage.failed, failed.stage());
            assertTrue(failed.lastError().contains("500"), failed.lastError());
            assertTrue(calls.get(calls.size() - 1).contains("{\"stage\":\"failed\"}"), calls.toString());

            cleaner.start("ws-retry", "admin@example.com");
            assertTrue(cleaner.awaitIdle(10, TimeUnit.SECONDS));
        }
        assertTrue(cleanups.find("ws-retry").isEmpty());
        assertTrue(resources.countByKind("ws-retry").isEmpty());
    }

    @Test
    void anUnfinishedCleanupIsResumedByTheNextGateway() throws Exception {
        holdResources("ws-resume");
        cleanups.begin("ws-resume", "owner@example.com");
        try (WorkspaceCleaner restarted = cleaner()) {
            restarted.resumeUnfinished();
            assertTrue(restarted.awaitIdle(10, TimeUnit.SECONDS));
        }
        assertTrue(cleanups.find("ws-resume").isEmpty());
        assertTrue(resources.countByKind("ws-resume").isEmpty());
    }
}
