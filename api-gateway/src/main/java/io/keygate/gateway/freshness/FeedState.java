package io.keygate.gateway.freshness;

import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import io.keygate.gateway.freshness.Change.WorkspaceChange;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one issuer's events say, in memory, for the per-request judgement: per subject the latest
 * claims change and the latest revocation of all its sessions, the revoked session ids, and per
 * workspace the latest workspace change; plus the horizon before which roles are unverified.
 *
 * <p>Contract: only the newest change per key is kept (an older one arriving late never
 * overwrites it); {@link #version()} grows with every applied change so that cached judgements
 * can tell they are stale; the horizon only moves forward. Entries are dropped only when no live
 * token can predate them ({@link #forgetOlderThan}) or, past {@code maxEntries}, oldest first
 * with the horizon raised over them, so forgetting never makes an old token look current.
 */
final class FeedState {

    private final Map<String, ClaimsChange> claims = new ConcurrentHashMap<>();
    private final Map<String, SessionRevoked> revokedSubjects = new ConcurrentHashMap<>();
    private final Map<String, SessionRevoked> revokedSessions = new ConcurrentHashMap<>();
    private final Map<String, WorkspaceChange> workspaces = new ConcurrentHashMap<>();
    private final int maxEntries;
    private volatile long newestEventMillis;
    private volatile long horizonMillis;
    private volatile boolean caughtUp;
    private volatile long version;
    private volatile java.util.function.Consumer<Change> onApplied = change -> { };

    FeedState(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Applies one change (kept only when newer than what is known for its key). */
    synchronized void apply(Change change) {
        if (change instanceof ClaimsChange c) {
            claims.merge(c.subject(), c, FeedState::newer);
        } else if (change instanceof SessionRevoked r && r.sessionId() != null) {
            revokedSessions.merge(r.sessionId(), r, FeedState::newer);
        } else if (change instanceof SessionRevoked r) {
            revokedSubjects.merge(r.subject(), r, FeedState::newer);
        } else if (change instanceof WorkspaceChange w) {
            workspaces.merge(w.workspace(), w, FeedState::newer);
        }
        newestEventMillis = Math.max(newestEventMillis, change.eventMillis());
        // After the change is in place: a judgement that read the version before it sees it, or
        // its result carries the older version and is not reused (FreshnessJudge).
        version++;
        onApplied.accept(change);
        if (size() > maxEntries) {
            forgetOldest(size() - maxEntries + maxEntries / 10);
        }
    }

    private static <T extends Change> T newer(T known, T arrived) {
        return arrived.eventMillis() >= known.eventMillis() ? arrived : known;
    }

    /** Called with every change right after it is applied (so a waiting write learns it is enforced). */
    void onApplied(java.util.function.Consumer<Change> listener) {
        this.onApplied = listener;
    }

    /** Tokens whose roles are known only as of before {@code millis} are unverified from now on. */
    synchronized void unverifiedBefore(long millis) {
        if (millis > horizonMillis) {
            horizonMillis = millis;
            version++;
        }
    }

    /** The feed has delivered everything the transmitter had (or not yet, after a restart). */
    void caughtUp(boolean value) {
        caughtUp = value;
    }

    boolean isCaughtUp() {
        return caughtUp;
    }

    /** Roles known only as of before this are unverified; everything is while not caught up. */
    long horizon() {
        return caughtUp ? horizonMillis : Long.MAX_VALUE;
    }

    /** The horizon as persisted, ignoring whether the feed has caught up. */
    long persistentHorizon() {
        return horizonMillis;
    }

    long newestEventMillis() {
        return newestEventMillis;
    }

    long version() {
        return version;
    }

    ClaimsChange claimsOf(String subject) {
        return claims.get(subject);
    }

    SessionRevoked subjectRevocation(String subject) {
        return revokedSubjects.get(subject);
    }

    SessionRevoked sessionRevocation(String sessionId) {
        return revokedSessions.get(sessionId);
    }

    Collection<WorkspaceChange> workspaceChanges() {
        return workspaces.values();
    }

    int size() {
        return claims.size() + revokedSubjects.size() + revokedSessions.size() + workspaces.size();
    }

    /** Drops every change older than {@code cutoffMillis}; returns how many. */
    synchronized int forgetOlderThan(long cutoffMillis) {
        int before = size();
        claims.values().removeIf(c -> c.eventMillis() < cutoffMillis);
        revokedSubjects.values().removeIf(c -> c.eventMillis() < cutoffMillis);
        revokedSessions.values().removeIf(c -> c.eventMillis() < cutoffMillis);
        workspaces.values().removeIf(c -> c.eventMillis() < cutoffMillis);
        return before - size();
    }

    /** Over the bound: forget the oldest {@code count} changes and treat what they covered as unverified. */
    private void forgetOldest(int count) {
        long[] times = java.util.stream.Stream.of(claims.values(), revokedSubjects.values(), revokedSessions.values(), workspaces.values())
                .flatMap(Collection::stream).mapToLong(Change::eventMillis).sorted().toArray();
        long cutoff = times[Math.min(count, times.length) - 1] + 1;
        forgetOlderThan(cutoff);
        unverifiedBefore(cutoff);
    }
}
