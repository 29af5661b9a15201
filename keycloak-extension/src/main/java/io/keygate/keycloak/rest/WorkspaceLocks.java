package io.keygate.keycloak.rest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per realm and workspace name. A change to a workspace runs and commits while its
 * lock is held, so the next change to the same workspace reads the committed state; this is what
 * makes the last-Admin rule hold under concurrent API requests on this Keycloak node.
 */
public final class WorkspaceLocks {

    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public <T> T withLock(String realmId, String workspace, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(realmId + "/" + workspace, key -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
