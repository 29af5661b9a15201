package io.keygate.keycloak.freshness.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WakeupsTest {

    @Test
    void aSignalWakesAWaiterOfThatRealmBeforeItsTimeout() throws Exception {
        Wakeups wakeups = new Wakeups();
        long seen = wakeups.version("r1");
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                wakeups.awaitChange("r1", seen, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return (System.nanoTime() - start) / 1_000_000L;
        });
        while (!waited.isDone() && wakeups.version("r1") == seen) {
            wakeups.signal("r2");
            wakeups.signal("r1");
        }
        long millis = waited.get(30, TimeUnit.SECONDS);
        assertTrue(millis < 60_000, "woken by the signal, not the timeout: " + millis + " ms");
        assertTrue(wakeups.version("r1") > seen);
    }

    @Test
    void withoutASignalTheWaitEndsAtItsTimeout() throws Exception {
        Wakeups wakeups = new Wakeups();
        wakeups.signal("other");
        long start = System.nanoTime();
        wakeups.awaitChange("r1", wakeups.version("r1"), 50);
        assertTrue(System.nanoTime() - start >= 50_000_000L);
        assertEquals(0, wakeups.version("r1"));
    }
}
