package io.keygate.keycloak.freshness.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One outbox row: a committed change that becomes one Security Event Token. Written in the
 * transaction of the change (so a rollback discards it) with {@code seq} null; the sequencer
 * gives it its realm-wide {@code seq} and the event payload after commit.
 */
@Entity
@Table(name = "KEYGATE_SSF_EVENT")
public class SsfEventEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "SEQ")
    private Long seq;

    @Column(name = "KIND", length = 16, nullable = false)
    private String kind;

    /** User id, or workspace name for a workspace change. */
    @Column(name = "SUBJECT", length = 255, nullable = false)
    private String subject;

    @Column(name = "SESSION_ID", length = 255)
    private String sessionId;

    @Column(name = "REASON", length = 64)
    private String reason;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    /** Epoch millis when the sequencer built the payload (the SET's iat and event_timestamp). */
    @Column(name = "ISSUED_AT")
    private Long issuedAt;

    /** The event object of the SET ({@code {"<type>": {...}}} plus sub_id), JSON, set with the seq. */
    @Column(name = "PAYLOAD")
    private String payload;

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

    public Long getSeq() {
        return seq;
    }

    public void setSeq(Long seq) {
        this.seq = seq;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public Long getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(Long issuedAt) {
        this.issuedAt = issuedAt;
    }

    public String getPayload() {
        return payload;
    }

    public void setPayload(String payload) {
        this.payload = payload;
    }
}
