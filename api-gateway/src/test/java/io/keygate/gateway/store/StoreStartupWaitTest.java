package io.keygate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A starting gateway waits for a PostgreSQL that is not up yet, and says so when it never comes. */
class StoreStartupWaitTest {

    @Test
    void waitsForAPostgresThatStartsLaterThenMigrates() throws Exception {
        int port = freePort();
        CompletableFuture<EmbeddedPostgres> later = CompletableFuture.supplyAsync(() -> {
            try {
                TimeUnit.SECONDS.sleep(3);
                return EmbeddedPostgres.builder().setPort(port).start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Database database = new Database(new StoreConfig(url, "postgres", "postgres", 2))) {
            long started = System.nanoTime();
            database.awaitReachable(Duration.ofSeconds(120));
            System.out.printf("[store] PostgreSQL on port %d answered after %d ms of waiting%n", port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertTrue(later.isDone(), "it returned only once the server was up");
            Migrations migrations = new Migrations(database);
            List<Integer> applied = migrations.migrate();
            assertTrue(!applied.isEmpty(), "an empty database gets the whole schema");
            assertEquals(applied.get(applied.size() - 1), migrations.currentVersion());
        } finally {
            later.get(120, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aStoreThatNeverAnswersEndsTheWaitWithItsAddress() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/keygate";
        try (Database database = new Database(new StoreConfig(url, "postgres", "postgres", 2))) {
            StoreException refused = assertThrows(StoreException.class, () -> database.awaitReachable(Duration.ofSeconds(2)));
            System.out.println("[store] " + refused.getMessage());
            assertTrue(refused.getMessage().startsWith("the store at " + url + " did not answer within 2 s"), refused.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
