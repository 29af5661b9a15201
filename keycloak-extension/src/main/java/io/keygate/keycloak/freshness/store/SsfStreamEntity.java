package io.keygate.keycloak.freshness.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One receiver stream (SSF stream configuration, poll delivery). Every SET with a seq above
 * {@code ackedSeq} that is not in {@link SsfAckEntity} for this stream is pending for it.
 */
@Entity
@Table(name = "KEYGATE_SSF_STREAM")
public class SsfStreamEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    /** Client id of the receiver that created the stream; also the SETs' {@code aud}. */
    @Column(name = "CLIENT_ID", length = 255, nullable = false)
    private String clientId;

    @Column(name = "DESCRIPTION", length = 255)
    private String description;

    /** Space-separated event type URIs the receiver asked for. */
    @Column(name = "EVENTS_REQUESTED", length = 1024)
    private String eventsRequested;

    /** Every SET with a seq at or below this is acknowledged. */
    @Column(name = "ACKED_SEQ", nullable = false)
    private long ackedSeq;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "LAST_POLLED_AT", nullable = false)
    private long lastPolledAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getEventsRequested() {
        return eventsRequested;
    }

    public void setEventsRequested(String eventsRequested) {
        this.eventsRequested = eventsRequested;
    }

    public long getAckedSeq() {
        return ackedSeq;
    }

    public void setAckedSeq(long ackedSeq) {
        this.ackedSeq = ackedSeq;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getLastPolledAt() {
        return lastPolledAt;
    }

    public void setLastPolledAt(long lastPolledAt) {
        this.lastPolledAt = lastPolledAt;
    }
}
