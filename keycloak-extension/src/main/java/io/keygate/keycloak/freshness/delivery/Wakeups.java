package io.keygate.keycloak.freshness.delivery;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-realm change counter on this node: the sequencer bumps it after it committed new seqs, and
 * waiting long-polls wake at once. Polls also re-check the database on a short interval, which
 * covers SETs sequenced by another node.
 */
public final class Wakeups {

    private final Map<String, Long> versions = new HashMap<>();

    public synchronized void signal(String realmId) {
        versions.merge(realmId, 1L, Long::sum);
        notifyAll();
    }

    public synchronized long version(String realmId) {
        return versions.getOrDefault(realmId, 0L);
    }

    /** Waits until the realm's version differs from {@code seen} or {@code millis} passed. */
    public synchronized void awaitChange(String realmId, long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (version(realmId) == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1L, left / 1_000_000L));
        }
    }
}
