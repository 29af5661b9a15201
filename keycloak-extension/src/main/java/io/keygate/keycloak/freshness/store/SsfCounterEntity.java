package io.keygate.keycloak.freshness.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The per-realm seq counter; its row lock serializes seq assignment across all Keycloak nodes. */
@Entity
@Table(name = "KEYGATE_SSF_COUNTER")
public class SsfCounterEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    /** The seq the next sequenced SET gets. */
    @Column(name = "NEXT_SEQ", nullable = false)
    private long nextSeq;

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public long getNextSeq() {
        return nextSeq;
    }

    public void setNextSeq(long nextSeq) {
        this.nextSeq = nextSeq;
    }
}
