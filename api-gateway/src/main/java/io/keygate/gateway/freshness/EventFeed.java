package io.keygate.gateway.freshness;

import io.keygate.gateway.freshness.FreshnessStore.Position;
import io.keygate.gateway.freshness.SetRejected.Reason;
import io.keygate.gateway.freshness.TransmitterClient.Batch;
import io.keygate.gateway.freshness.TransmitterClient.FeedException;
import io.keygate.gateway.freshness.TransmitterClient.Stream;
import io.keygate.gateway.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's event stream, received on a daemon thread: finds its stream (persisted id) or
 * creates one, long-polls it (RFC 8936), verifies every SET, applies it to the {@link FeedState},
 * records it in the store, and acknowledges it with the next poll (rejected SETs are reported in
 * {@code setErrs}). Reconnects with exponential backoff.
 *
 * <p>Loss contract: the receiver can prove it saw every event only while {@code keygate_seq} runs
 * without a gap on one stream. A gap, a stream the transmitter no longer has, or a new stream
 * moves the state's horizon to the time of catching up (plus the issuer's clock skew): tokens
 * older than that are unverified for roles. After a restart nothing counts as current until the
 * first poll has drained what queued meanwhile. A store failure never loses a change: it is
 * applied in memory and left unacknowledged, so the transmitter delivers it again.
 */
final class EventFeed {

    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(250);
    private static final long FORGET_EVERY_MILLIS = 60_000;

    private final FeedSettings settings;
    private final TransmitterClient client;
    private final SetVerifier verifier;
    private final FeedState state;
    private final FreshnessStore store;
    private final FeedMetrics metrics;
    private final Clock clock;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final LinkedHashSet<String> acks = new LinkedHashSet<>();
    private final Map<String, String[]> errors = new LinkedHashMap<>();
    private final CountDownLatch firstCatchUp = new CountDownLatch(1);
    private volatile Stream stream;
    private volatile String knownStreamId;
    private volatile long lastSeq = -1;
    private volatile String status = "starting";
    private volatile long lastHealthyMillis;
    private volatile boolean healthy;
    private volatile boolean running;
    private long lastForgetMillis;
    private Thread thread;

    EventFeed(FeedSettings settings, TransmitterClient client, SetVerifier verifier, FeedState state, FreshnessStore store,
              FeedMetrics metrics, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.verifier = verifier;
        this.state = state;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        metrics.healthyAge(settings.issuer().name(), this::secondsUnhealthy);
    }

    FeedState state() {
        return state;
    }

    FeedSettings settings() {
        return settings;
    }

    /** Loads what the store remembers: the stream position, the horizon and every change a live token may predate. */
    void load() {
        long now = clock.millis();
        long cutoff = now - settings.maxTokenLifetime().toMillis() - settings.clockSkew().toMillis();
        store.changes(issuer(), cutoff).forEach(state::apply);
        Optional<Position> position = store.position(settings.instanceId(), issuer());
        position.ifPresent(p -> {
            knownStreamId = p.streamId();
            lastSeq = p.lastSeq();
            state.unverifiedBefore(p.unverifiedBefore());
            if (p.streamId() != null) {
                seen.putAll(store.seen(p.streamId(), now - settings.retention().toMillis()));
            }
        });
        LOG.info("events of {}: loaded {} changes, stream {}, last seq {}", settings.issuer().name(), state.size(),
                knownStreamId == null ? "(none yet)" : knownStreamId, lastSeq);
    }

    /** Starts receiving; waits up to {@code wait} for the first catch-up (tokens stay unverified until then). */
    void start(Duration wait) {
        running = true;
        thread = new Thread(this::run, "keygate-events-" + settings.issuer().name());
        thread.setDaemon(true);
        thread.start();
        try {
            if (!firstCatchUp.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("events of {}: not caught up after {} ({}); older tokens get live role lookups until then",
                        settings.issuer().name(), wait, status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        status = "stopped";
    }

    /** The feed's state for readiness: live, catching up, reconnecting (with why), ... */
    String status() {
        return status;
    }

    boolean isHealthy() {
        return healthy;
    }

    private double secondsUnhealthy(long nowMillis) {
        if (healthy) {
            return 0;
        }
        return lastHealthyMillis == 0 ? -1 : (nowMillis - lastHealthyMillis) / 1000.0;
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try {
                step();
                backoff = MIN_BACKOFF;
            } catch (FeedException e) {
                unhealthy(e.getMessage());
                if (e.gone()) {
                    LOG.warn("events of {}: {}; creating a new stream", settings.issuer().name(), e.getMessage());
                    stream = null;
                    knownStreamId = null;
                }
                backoff = sleep(backoff);
            } catch (StoreException e) {
                unhealthy("store: " + e.getMessage());
                backoff = sleep(backoff);
            } catch (RuntimeException e) {
                LOG.error("events of {}: unexpected failure", settings.issuer().name(), e);
                unhealthy(e.toString());
                backoff = sleep(backoff);
            }
        }
    }

    private void unhealthy(String why) {
        if (!running) {
            return;
        }
        if (healthy || !status.startsWith("reconnecting")) {
            LOG.warn("events of {}: {}", settings.issuer().name(), why);
        }
        healthy = false;
        status = "reconnecting: " + why;
    }

    private Duration sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : next;
    }

    /** One poll: connect if needed, send acks and errors, apply what arrives. */
    void step() throws FeedException {
        if (stream == null) {
            connect();
        }
        List<String> ack = new ArrayList<>(acks);
        Map<String, String[]> errs = new LinkedHashMap<>(errors);
        Batch batch = client.poll(stream, ack, errs, !state.isCaughtUp());
        ack.forEach(acks::remove);
        errs.keySet().forEach(errors::remove);
        markHealthy();
        handle(batch);
        if (!batch.moreAvailable()) {
            if (!state.isCaughtUp()) {
                LOG.info("events of {}: caught up at seq {}", settings.issuer().name(), lastSeq);
            }
            state.caughtUp(true);
            status = "live";
            firstCatchUp.countDown();
        } else {
            status = "catching up";
        }
        forgetOldChanges();
    }

    private void markHealthy() {
        healthy = true;
        lastHealthyMillis = clock.millis();
    }

    private void connect() throws FeedException {
        status = "connecting";
        String known = knownStreamId;
        if (known != null) {
            Optional<Stream> found = client.find(known);
            if (found.isPresent()) {
                stream = found.get();
                LOG.info("events of {}: resumed stream {} after seq {}", settings.issuer().name(), known, lastSeq);
                return;
            }
            LOG.warn("events of {}: stream {} is gone at the transmitter; events may have been missed", settings.issuer().name(), known);
        }
        Stream created = client.create();
        long horizon = clock.millis() + settings.clockSkew().toMillis();
        lastSeq = created.nextSeq() - 1;
        seen.clear();
        store.save(settings.instanceId(), issuer(), new Position(created.id(), created.audience(), lastSeq, Math.max(horizon, state.persistentHorizon())));
        state.unverifiedBefore(horizon);
        stream = created;
        knownStreamId = created.id();
        LOG.info("events of {}: created stream {} (first seq {}); tokens issued before now are unverified for roles",
                settings.issuer().name(), created.id(), created.nextSeq());
    }

    private void handle(Batch batch) {
        List<VerifiedSet> accepted = new ArrayList<>();
        batch.sets().forEach((jti, compact) -> verify(jti, compact).ifPresent(accepted::add));
        if (accepted.isEmpty()) {
            return;
        }
        accepted.sort(Comparator.comparingLong(VerifiedSet::seq));
        long seq = lastSeq;
        boolean gap = false;
        List<VerifiedSet> applicable = new ArrayList<>();
        for (VerifiedSet set : accepted) {
            if (set.seq() <= seq) {
                replayed(set.jti(), "seq " + set.seq() + " was delivered before");
                continue;
            }
            gap |= seq >= 0 && set.seq() > seq + 1;
            seq = set.seq();
            applicable.add(set);
        }
        if (gap) {
            long horizon = clock.millis() + settings.clockSkew().toMillis();
            LOG.warn("events of {}: keygate_seq jumped past {}; events were missed, tokens issued before now are unverified for roles",
                    settings.issuer().name(), lastSeq);
            state.unverifiedBefore(horizon);
        }
        applicable.forEach(set -> state.apply(set.change()));
        try {
            store.record(settings.instanceId(), issuer(), new Position(stream.id(), stream.audience(), seq, state.persistentHorizon()), applicable);
        } catch (StoreException e) {
            LOG.warn("events of {}: cannot record {} events ({}); applied in memory, left for redelivery",
                    settings.issuer().name(), applicable.size(), e.getMessage());
            return;
        }
        long now = clock.millis();
        for (VerifiedSet set : applicable) {
            seen.put(set.jti(), set.issuedAtMillis());
            acks.add(set.jti());
            metrics.applied(set.change().type(), (now - set.change().eventMillis()) / 1000.0);
        }
        lastSeq = seq;
    }

    private Optional<VerifiedSet> verify(String jti, String compact) {
        try {
            VerifiedSet set = verifier.verify(compact, stream.audience());
            metrics.received(set.change().type());
            if (!set.jti().equals(jti)) {
                throw new SetRejected(Reason.MALFORMED, "delivered under another jti");
            }
            if (seen.containsKey(set.jti())) {
                replayed(jti, "jti seen before");
                return Optional.empty();
            }
            return Optional.of(set);
        } catch (SetRejected e) {
            metrics.received("unverified");
            metrics.rejected(e.reason().label);
            LOG.warn("events of {}: refused SET {}: {} ({})", settings.issuer().name(), abbreviate(jti), e.reason().label, e.getMessage());
            errors.put(jti, new String[] {e.err(), e.getMessage()});
            return Optional.empty();
        }
    }

    /** A SET delivered again: changes nothing, is counted, and acknowledged so the transmitter stops sending it. */
    private void replayed(String jti, String why) {
        metrics.rejected(Reason.REPLAYED.label);
        LOG.info("events of {}: SET {} ignored: {}", settings.issuer().name(), abbreviate(jti), why);
        acks.add(jti);
    }

    private void forgetOldChanges() {
        long now = clock.millis();
        if (now - lastForgetMillis < FORGET_EVERY_MILLIS) {
            return;
        }
        lastForgetMillis = now;
        long cutoff = now - settings.maxTokenLifetime().toMillis() - settings.clockSkew().toMillis();
        long seenCutoff = now - settings.retention().toMillis();
        int forgotten = state.forgetOlderThan(cutoff);
        seen.values().removeIf(iat -> iat < seenCutoff);
        store.forget(issuer(), cutoff, seenCutoff);
        if (forgotten > 0) {
            LOG.debug("events of {}: forgot {} changes older than any live token", settings.issuer().name(), forgotten);
        }
    }

    private String issuer() {
        return settings.issuer().issuer();
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
