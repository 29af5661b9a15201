package io.keygate.keycloak.freshness.delivery;

import io.keygate.keycloak.freshness.store.Jpa;
import io.keygate.keycloak.freshness.store.SsfAckEntity;
import io.keygate.keycloak.freshness.store.SsfCounterEntity;
import io.keygate.keycloak.freshness.store.SsfEventEntity;
import io.keygate.keycloak.freshness.store.SsfStreamEntity;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Streams, their acknowledgements and the SETs pending for them, in one session's transaction. */
public final class StreamStore {

    private final EntityManager em;

    public StreamStore(KeycloakSession session) {
        this.em = Jpa.em(session);
    }

    /** A new stream that starts at the realm's head: it gets every SET sequenced from now on. */
    public SsfStreamEntity create(String realmId, String clientId, String description, String eventsRequested) {
        long now = System.currentTimeMillis();
        SsfStreamEntity stream = new SsfStreamEntity();
        stream.setId(KeycloakModelUtils.generateId());
        stream.setRealmId(realmId);
        stream.setClientId(clientId);
        stream.setDescription(description);
        stream.setEventsRequested(eventsRequested);
        stream.setAckedSeq(nextSeq(realmId) - 1);
        stream.setCreatedAt(now);
        stream.setLastPolledAt(now);
        em.persist(stream);
        return stream;
    }

    /** The seq the next sequenced SET of the realm will get. */
    public long nextSeq(String realmId) {
        SsfCounterEntity counter = em.find(SsfCounterEntity.class, realmId);
        return counter == null ? 1 : counter.getNextSeq();
    }

    /** The stream, if it exists and belongs to this realm and receiver client. */
    public Optional<SsfStreamEntity> find(String realmId, String clientId, String streamId) {
        if (streamId == null || streamId.isBlank()) {
            return Optional.empty();
        }
        SsfStreamEntity stream = em.find(SsfStreamEntity.class, streamId);
        return Optional.ofNullable(stream)
                .filter(s -> s.getRealmId().equals(realmId) && s.getClientId().equals(clientId));
    }

    public List<SsfStreamEntity> list(String realmId, String clientId) {
        return em.createQuery("select s from SsfStreamEntity s where s.realmId = :realm and s.clientId = :client order by s.createdAt",
                        SsfStreamEntity.class)
                .setParameter("realm", realmId).setParameter("client", clientId).getResultList();
    }

    public void delete(SsfStreamEntity stream) {
        em.createQuery("delete from SsfAckEntity a where a.streamId = :stream").setParameter("stream", stream.getId()).executeUpdate();
        em.remove(stream);
    }

    /**
     * Records acknowledgements (RFC 8936 {@code ack} and {@code setErrs}: both mean "do not send
     * again") by jti, ignoring unknown or already acknowledged ones, then advances the stream's
     * contiguous {@code ackedSeq} over every acknowledged seq right after it.
     */
    public void acknowledge(SsfStreamEntity stream, Collection<String> jtis) {
        if (!jtis.isEmpty()) {
            List<Long> seqs = em.createQuery("select e.seq from SsfEventEntity e where e.realmId = :realm and e.id in :ids"
                            + " and e.seq is not null", Long.class)
                    .setParameter("realm", stream.getRealmId()).setParameter("ids", new HashSet<>(jtis)).getResultList();
            Set<Long> known = new HashSet<>(em.createQuery("select a.seq from SsfAckEntity a where a.streamId = :stream", Long.class)
                    .setParameter("stream", stream.getId()).getResultList());
            for (Long seq : seqs) {
                if (seq > stream.getAckedSeq() && known.add(seq)) {
                    em.persist(new SsfAckEntity(stream.getId(), seq));
                }
            }
            long acked = stream.getAckedSeq();
            while (known.contains(acked + 1)) {
                acked++;
            }
            if (acked != stream.getAckedSeq()) {
                stream.setAckedSeq(acked);
                em.flush();
                em.createQuery("delete from SsfAckEntity a where a.streamId = :stream and a.seq <= :acked")
                        .setParameter("stream", stream.getId()).setParameter("acked", acked).executeUpdate();
            }
        }
        stream.setLastPolledAt(System.currentTimeMillis());
    }

    /** Up to {@code limit} SETs not yet acknowledged by the stream, in seq order. */
    public List<SsfEventEntity> pending(SsfStreamEntity stream, int limit) {
        return em.createQuery("select e from SsfEventEntity e where e.realmId = :realm and e.seq > :acked"
                        + " and e.seq not in (select a.seq from SsfAckEntity a where a.streamId = :stream) order by e.seq",
                        SsfEventEntity.class)
                .setParameter("realm", stream.getRealmId())
                .setParameter("acked", stream.getAckedSeq())
                .setParameter("stream", stream.getId())
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * Retention: removes streams not polled since {@code cutoff}, SETs acknowledged by every stream
     * of their realm (or, with no stream, already sequenced) and any SET created before {@code cutoff}.
     */
    public void purge(long cutoff) {
        List<String> stale = em.createQuery("select s.id from SsfStreamEntity s where s.lastPolledAt < :cutoff", String.class)
                .setParameter("cutoff", cutoff).getResultList();
        for (String id : stale) {
            SsfStreamEntity stream = em.find(SsfStreamEntity.class, id);
            if (stream != null) {
                delete(stream);
            }
        }
        em.createQuery("delete from SsfEventEntity e where e.createdAt < :cutoff").setParameter("cutoff", cutoff).executeUpdate();
        em.createQuery("delete from SsfEventEntity e where e.seq is not null and e.seq <= coalesce("
                        + "(select min(s.ackedSeq) from SsfStreamEntity s where s.realmId = e.realmId), e.seq)")
                .executeUpdate();
    }
}
