package io.keygate.keycloak.rest;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Locks keyed by realm and workspace name. A change to a workspace runs and commits while its
 * lock is held, so the next change to the same workspace reads the committed state; this is what
 * makes the last-Admin rule hold under concurrent API requests on this Keycloak node. A fixed set
 * of lock stripes keeps memory bounded whatever names callers send; two workspaces may share a
 * stripe, which only serializes them.
 */
public final class WorkspaceLocks {

    private static final int STRIPES = 256;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public WorkspaceLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public <T> T withLock(String realmId, String workspace, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod((realmId + "/" + workspace).hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
