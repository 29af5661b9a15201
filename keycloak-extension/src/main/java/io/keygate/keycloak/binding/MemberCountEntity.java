package io.keygate.keycloak.binding;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Number of distinct principals with an active binding in one workspace, table
 * {@code KEYGATE_MEMBER_COUNT}: kept by {@link Bindings} on every change of the workspace's rows, so a
 * member list reports its total without counting all members. A workspace without a row is counted
 * in SQL (and gets its row at its next change).
 */
@Entity
@Table(name = "KEYGATE_MEMBER_COUNT")
public class MemberCountEntity {

    /** Id of the workspace group {@code /workspaces/<name>}. */
    @Id
    @Column(name = "WORKSPACE_ID", length = 36)
    private String workspaceId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "MEMBERS", nullable = false)
    private long members;

    public String getWorkspaceId() {
        return workspaceId;
    }

    public void setWorkspaceId(String workspaceId) {
        this.workspaceId = workspaceId;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public long getMembers() {
        return members;
    }

    public void setMembers(long members) {
        this.members = members;
    }
}
