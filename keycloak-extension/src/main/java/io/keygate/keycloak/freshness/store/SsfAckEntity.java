package io.keygate.keycloak.freshness.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** An acknowledged SET above its stream's contiguous {@code ackedSeq} (RFC 8936 acks may come out of order). */
@Entity
@Table(name = "KEYGATE_SSF_ACK")
@IdClass(SsfAckEntity.Key.class)
public class SsfAckEntity {

    @Id
    @Column(name = "STREAM_ID", length = 36)
    private String streamId;

    @Id
    @Column(name = "SEQ")
    private long seq;

    public SsfAckEntity() {
    }

    public SsfAckEntity(String streamId, long seq) {
        this.streamId = streamId;
        this.seq = seq;
    }

    public String getStreamId() {
        return streamId;
    }

    public long getSeq() {
        return seq;
    }

    /** Composite primary key. */
    public static class Key implements Serializable {
        private String streamId;
        private long seq;

        public Key() {
        }

        public Key(String streamId, long seq) {
            this.streamId = streamId;
            this.seq = seq;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && seq == other.seq && Objects.equals(streamId, other.streamId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(streamId, seq);
        }
    }
}
