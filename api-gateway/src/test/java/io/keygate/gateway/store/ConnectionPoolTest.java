package io.keygate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store never opens more connections than {@code storage.poolSize}: more concurrent work waits for one. */
class ConnectionPoolTest {

    @TempDir
    Path dir;

    @Test
    void concurrentTransactionsBeyondThePoolSizeWaitInsteadOfOpeningConnections() throws Exception {
        try (Database database = new Database(new StoreConfig("jdbc:h2:file:" + dir.resolve("pool"), "sa", "", 2))) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger mostInside = new AtomicInteger();
            ExecutorService callers = Executors.newFixedThreadPool(6);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(callers.submit(() -> database.inTransaction(connection -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inside.decrementAndGet();
                    return 1;
                })));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while ((inside.get() < 2 || database.poolStats().pending() < 4) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Database.PoolStats stats = database.poolStats();
            System.out.println("[keygate-test] pool of 2 under 6 concurrent transactions: " + stats);
            assertEquals(2, stats.active());
            assertEquals(4, stats.pending());
            release.countDown();
            int done = 0;
            for (Future<Integer> result : results) {
                done += result.get(20, TimeUnit.SECONDS);
            }
            callers.shutdown();
            assertEquals(6, done);
            assertEquals(2, mostInside.get(), "never more than the pool size at once");
            assertTrue(database.poolStats().active() == 0);
        }
    }
}
