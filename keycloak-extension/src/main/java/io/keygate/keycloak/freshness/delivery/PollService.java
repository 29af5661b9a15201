package io.keygate.keycloak.freshness.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.keycloak.freshness.store.SsfEventEntity;
import io.keygate.keycloak.freshness.store.SsfStreamEntity;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * RFC 8936 poll delivery with long-poll. Each database step runs in a short transaction of its
 * own, so a held poll keeps no transaction open: acknowledgements are committed first, then, when
 * nothing is pending and the receiver allows waiting, the poll waits for this node's sequencer to
 * signal new SETs and re-reads the database every {@link SsfConfig#recheckMillis()} (SETs
 * sequenced by another node), until {@link SsfConfig#longPollMillis()} passed.
 */
public final class PollService {

    private static final Logger LOG = Logger.getLogger(PollService.class);

    private final KeycloakSessionFactory factory;
    private final Wakeups wakeups;
    private final SsfConfig config;
    private final ObjectMapper json;

    public PollService(KeycloakSessionFactory factory, Wakeups wakeups, SsfConfig config, ObjectMapper json) {
        this.factory = factory;
        this.wakeups = wakeups;
        this.config = config;
        this.json = json;
    }

    /** What a receiver asked for; {@code acknowledged} merges {@code ack} and the jtis of {@code setErrs}. */
    public record Request(Collection<String> acknowledged, int maxEvents, boolean returnImmediately) {
    }

    /** The poll answer: jti to compact SET, and whether more were pending than returned. */
    public record Response(Map<String, String> sets, boolean moreAvailable) {
    }

    public Response poll(String realmId, String clientId, String streamId, String issuer, Request request) {
        Response first = inTransaction(realmId, (session, store) -> {
            SsfStreamEntity stream = stream(store, realmId, clientId, streamId);
            store.acknowledge(stream, request.acknowledged());
            return fetch(session, store, stream, issuer, request.maxEvents());
        });
        if (!first.sets().isEmpty() || request.returnImmediately() || request.maxEvents() == 0) {
            return first;
        }
        long deadline = System.nanoTime() + config.longPollMillis() * 1_000_000L;
        while (true) {
            long seen = wakeups.version(realmId);
            Response next = inTransaction(realmId, (session, store) ->
                    fetch(session, store, stream(store, realmId, clientId, streamId), issuer, request.maxEvents()));
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (!next.sets().isEmpty() || left <= 0) {
                return next;
            }
            try {
                wakeups.awaitChange(realmId, seen, Math.min(left, config.recheckMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return next;
            }
        }
    }

    private Response fetch(KeycloakSession session, StreamStore store, SsfStreamEntity stream, String issuer, int maxEvents) {
        if (maxEvents == 0) {
            return new Response(Map.of(), !store.pending(stream, 1).isEmpty());
        }
        List<SsfEventEntity> pending = store.pending(stream, maxEvents + 1);
        SetEncoder encoder = new SetEncoder(session, json, issuer);
        Map<String, String> sets = new LinkedHashMap<>();
        pending.stream().limit(maxEvents).forEach(row -> sets.put(row.getId(), encoder.encode(row, stream.getClientId())));
        return new Response(sets, pending.size() > maxEvents);
    }

    private static SsfStreamEntity stream(StreamStore store, String realmId, String clientId, String streamId) {
        return store.find(realmId, clientId, streamId).orElseThrow(() ->
                ApiException.notFound("No stream '" + streamId + "' for this receiver (unknown, deleted or expired)"));
    }

    private interface Step {
        Response run(KeycloakSession session, StreamStore store);
    }

    private Response inTransaction(String realmId, Step step) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            session.getContext().setRealm(realm);
            return step.run(session, new StreamStore(session));
        });
    }

    /** Logs a receiver's setErrs: it could not process these SETs; they are not sent again. */
    public static void logErrors(String streamId, Map<String, String> errors) {
        errors.forEach((jti, error) -> LOG.warnf("Receiver of stream %s could not process SET %s: %s", streamId, jti, error));
    }
}
