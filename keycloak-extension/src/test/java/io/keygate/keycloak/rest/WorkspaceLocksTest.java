package io.keygate.keycloak.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkspaceLocksTest {

    @Test
    void changesToOneWorkspaceNeverOverlap() throws Exception {
        WorkspaceLocks locks = new WorkspaceLocks();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> locks.withLock("realm", "ml-team", () -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    return inside.decrementAndGet();
                })));
            }
            for (Future<Integer> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, maxInside.get());
    }
}
