package io.keygate.gateway.freshness;

import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells a membership write when this gateway enforces it ({@code wait_role_propagation}): the
 * receiver has applied, for each changed subject, a security event built at or after the moment
 * the write was sent. Requests are judged with the applied events from then on, so the subject's
 * older tokens carry the new roles (or are refused) on the very next request.
 *
 * <p>Waiting costs no polling: each wait registers a future per subject; the feed completes it when
 * it applies a change of that subject ({@link FeedState#apply} calls {@link #applied}). A change
 * applied before the wait registered is found in the feed's state. Time comparisons use the
 * transmitter's {@code event_timestamp} against the gateway's clock, so both must be synchronized
 * (NTP); a Keycloak clock running behind only makes the wait run out (never confirms too early
 * by more than the skew).
 */
public final class Propagation {

    /** No event feed: nothing is ever watched, every wait returns at once. */
    public static final Propagation NONE = new Propagation(Duration.ZERO);

    private record Waiter(long sinceMillis, CompletableFuture<Void> applied) {
    }

    private final Duration timeout;
    private final Map<String, FeedState> states = new ConcurrentHashMap<>();
    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();

    Propagation(Duration timeout) {
        this.timeout = timeout;
    }

    /** The longest a write waits (configuration {@code freshness.propagationWait}). */
    public Duration timeout() {
        return timeout;
    }

    /** Whether the security events of {@code issuer} are received here (else there is nothing to wait for). */
    public boolean watches(String issuer) {
        return states.containsKey(issuer);
    }

    /**
     * Waits, at most {@link #timeout()}, until a change of every one of {@code subjects} (user ids
     * at {@code issuer}) built at or after {@code sinceMillis} has been applied. True when all were;
     * false when the wait ran out or the issuer is not watched.
     */
    public boolean await(String issuer, Collection<String> subjects, long sinceMillis) {
        FeedState state = states.get(issuer);
        if (state == null) {
            return false;
        }
        List<Map.Entry<String, Waiter>> registered = new ArrayList<>();
        try {
            for (String subject : subjects) {
                Waiter waiter = new Waiter(sinceMillis, new CompletableFuture<>());
                waiters.computeIfAbsent(key(issuer, subject), k -> ConcurrentHashMap.newKeySet()).add(waiter);
                registered.add(Map.entry(subject, waiter));
                if (alreadyApplied(state, subject, sinceMillis)) {
                    waiter.applied().complete(null);
                }
            }
            CompletableFuture.allOf(registered.stream().map(entry -> entry.getValue().applied()).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a propagation wait failed", e);
        } finally {
            registered.forEach(entry -> waiters.computeIfPresent(key(issuer, entry.getKey()), (k, set) -> {
                set.remove(entry.getValue());
                return set.isEmpty() ? null : set;
            }));
        }
    }

    /** Watches the feed state of {@code issuer} (called once per feed as it is created). */
    void watch(String issuer, FeedState state) {
        states.put(issuer, state);
        state.onApplied(change -> applied(issuer, change));
    }

    /** Completes the waits of the change's subject that it satisfies. */
    void applied(String issuer, Change change) {
        String subject = subjectOf(change);
        if (subject == null) {
            return;
        }
        Set<Waiter> waiting = waiters.get(key(issuer, subject));
        if (waiting != null) {
            waiting.stream().filter(waiter -> change.eventMillis() >= waiter.sinceMillis())
                    .forEach(waiter -> waiter.applied().complete(null));
        }
    }

    private static boolean alreadyApplied(FeedState state, String subject, long sinceMillis) {
        ClaimsChange claims = state.claimsOf(subject);
        SessionRevoked revoked = state.subjectRevocation(subject);
        return (claims != null && claims.eventMillis() >= sinceMillis) || (revoked != null && revoked.eventMillis() >= sinceMillis);
    }

    private static String subjectOf(Change change) {
        if (change instanceof ClaimsChange claims) {
            return claims.subject();
        }
        if (change instanceof SessionRevoked revoked) {
            return revoked.subject();
        }
        return null;
    }

    private static String key(String issuer, String subject) {
        return issuer + "\n" + subject;
    }
}
