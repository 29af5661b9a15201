package io.keygate.keycloak.freshness.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.events.SecurityEvents;
import io.keygate.keycloak.freshness.capture.EventKind;
import io.keygate.keycloak.freshness.store.Jpa;
import io.keygate.keycloak.freshness.store.SsfCounterEntity;
import io.keygate.keycloak.freshness.store.SsfEventEntity;
import io.keygate.keycloak.workspace.WildcardCache;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Gives committed outbox rows their realm-wide {@code keygate_seq} and their event body, after
 * the change committed. One transaction per realm holds the realm's counter row lock
 * ({@code SELECT ... FOR UPDATE}) from reading the unsequenced rows to its commit, so seqs are
 * assigned one batch after the other on every node: strictly increasing and gap-free in the order
 * they become visible. A row whose SET would repeat the last one (same workspace state) or describe
 * a user that no longer exists is dropped instead, so it takes no seq.
 *
 * <p>A row is sequenced once its transaction has completed on this node, including Keycloak's cache
 * invalidations ({@code ready}: the ids {@link io.keygate.keycloak.freshness.capture.OutboxCommitted}
 * reported), or, for rows of other nodes or of a crashed attempt, once it is older than
 * {@code settleMillis}: a row is never turned into a SET from cache entries older than its change.
 */
public final class Sequencer {

    private static final Logger LOG = Logger.getLogger(Sequencer.class);
    private static final int BATCH = 500;

    private final KeycloakSessionFactory factory;
    private final Wakeups wakeups;
    private final ObjectMapper json;

    private final long settleMillis;
    /** Realm-wide wildcard maps for the events' claims; Keycloak keeps the sequencer for the server's life. */
    private final WildcardCache wildcards = new WildcardCache();

    public Sequencer(KeycloakSessionFactory factory, Wakeups wakeups, ObjectMapper json, long settleMillis) {
        this.factory = factory;
        this.wakeups = wakeups;
        this.json = json;
        this.settleMillis = settleMillis;
    }

    /** Sequences the committed rows without a seq that are {@code ready} or settled, in every realm. Never throws. */
    public void sequenceAll(Set<String> ready) {
        try {
            long settledBefore = System.currentTimeMillis() - settleMillis;
            List<String> realms = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                    due(Jpa.em(session), "select distinct e.realmId from SsfEventEntity e where e.seq is null", ready,
                            settledBefore, String.class).getResultList());
            for (String realmId : realms) {
                ensureCounter(realmId);
                while (sequenceBatch(realmId, ready, settledBefore) == BATCH) {
                    LOG.debugf("More outbox rows pending in realm %s", realmId);
                }
                wakeups.signal(realmId);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Sequencing security events failed; retrying on the next tick");
        }
    }

    private void ensureCounter(String realmId) {
        boolean exists = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                session -> Jpa.em(session).find(SsfCounterEntity.class, realmId) != null);
        if (exists) {
            return;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                SsfCounterEntity counter = new SsfCounterEntity();
                counter.setRealmId(realmId);
                counter.setNextSeq(1);
                Jpa.em(session).persist(counter);
            });
        } catch (RuntimeException e) {
            LOG.debugf(e, "Counter of realm %s created concurrently", realmId);
        }
    }

    /** The query {@code select} restricted to rows that are ready or settled. */
    private static <T> TypedQuery<T> due(EntityManager em, String select, Set<String> ready, long settledBefore, Class<T> type) {
        boolean withReady = !ready.isEmpty();
        TypedQuery<T> query = em.createQuery(select + " and (e.createdAt < :settled" + (withReady ? " or e.id in :ready)" : ")")
                + (select.startsWith("select e ") ? " order by e.createdAt, e.id" : ""), type);
        query.setParameter("settled", settledBefore);
        if (withReady) {
            query.setParameter("ready", ready);
        }
        return query;
    }

    private int sequenceBatch(String realmId, Set<String> ready, long settledBefore) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            EntityManager em = Jpa.em(session);
            SsfCounterEntity counter = em.find(SsfCounterEntity.class, realmId, LockModeType.PESSIMISTIC_WRITE);
            List<SsfEventEntity> rows = due(em, "select e from SsfEventEntity e where e.realmId = :realm and e.seq is null",
                    ready, settledBefore, SsfEventEntity.class)
                    .setParameter("realm", realmId)
                    .setMaxResults(BATCH)
                    .getResultList();
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null) {
                rows.forEach(em::remove);
                return 0;
            }
            session.getContext().setRealm(realm);
            EventBodies bodies = new EventBodies(session, realm, wildcards);
            long now = System.currentTimeMillis();
            for (SsfEventEntity row : rows) {
                Optional<Map<String, Object>> body = body(em, bodies, row, now);
                if (body.isEmpty()) {
                    em.remove(row);
                    continue;
                }
                row.setSeq(counter.getNextSeq());
                row.setIssuedAt(now);
                row.setPayload(write(body.get()));
                counter.setNextSeq(counter.getNextSeq() + 1);
            }
            return rows.size();
        });
    }

    private Optional<Map<String, Object>> body(EntityManager em, EventBodies bodies, SsfEventEntity row, long now) {
        return switch (EventKind.valueOf(row.getKind())) {
            case CLAIMS -> bodies.claimsChange(row.getSubject(), now);
            case SESSION -> Optional.of(bodies.sessionRevoked(row.getReason(), now));
            case WORKSPACE -> {
                Map<String, Object> body = bodies.workspaceChange(row.getSubject(), now);
                yield sameAsLastWorkspaceEvent(em, row, body) ? Optional.empty() : Optional.of(body);
            }
        };
    }

    /** True when the latest sequenced workspace-change of this workspace reported the same wildcard and state. */
    private boolean sameAsLastWorkspaceEvent(EntityManager em, SsfEventEntity row, Map<String, Object> body) {
        List<String> last = em.createQuery("select e.payload from SsfEventEntity e where e.realmId = :realm and e.kind = :kind"
                        + " and e.subject = :subject and e.seq is not null order by e.seq desc", String.class)
                .setParameter("realm", row.getRealmId())
                .setParameter("kind", EventKind.WORKSPACE.name())
                .setParameter("subject", row.getSubject())
                .setMaxResults(1)
                .getResultList();
        if (last.isEmpty()) {
            return false;
        }
        try {
            Map<?, ?> previous = json.readValue(last.get(0), Map.class);
            return Objects.equals(previous.get(SecurityEvents.EVENT_WILDCARD_ROLE), body.get(SecurityEvents.EVENT_WILDCARD_ROLE))
                    && Objects.equals(previous.get(SecurityEvents.EVENT_STATE), body.get(SecurityEvents.EVENT_STATE));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a security event", e);
        }
    }
}
