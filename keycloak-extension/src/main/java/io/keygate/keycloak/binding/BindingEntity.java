package io.keygate.keycloak.binding;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One role binding of a principal in a workspace, table {@code KEYGATE_BINDING}. Active while
 * {@code revokedAt} is null; a removal or role change revokes the row instead of deleting it, so
 * the table is also the history of bindings. Times are epoch milliseconds (UTC).
 */
@Entity
@Table(name = "KEYGATE_BINDING")
public class BindingEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    /** Id of the workspace group {@code /workspaces/<name>}. */
    @Column(name = "WORKSPACE_ID", length = 36, nullable = false)
    private String workspaceId;

    @Column(name = "WORKSPACE_NAME", nullable = false)
    private String workspaceName;

    @Column(name = "ROLE", length = 16, nullable = false)
    private String role;

    /** A {@link PrincipalKind} name; a plain string so that queries can compare it with literals. */
    @Column(name = "PRINCIPAL_KIND", length = 16, nullable = false)
    private String principalKind;

    /** User id for {@link PrincipalKind#USER}, lower-case email for a pending grant, {@code *} for the wildcard. */
    @Column(name = "PRINCIPAL", nullable = false)
    private String principal;

    /**
     * Sort key of member lists: the principal's name when the row was written (a user's email, else
     * username; the email of a pending grant), empty for the wildcard so it lists first. Stored so that
     * a page is read in index order; a user who changes their email later keeps their place until
     * their next grant in the workspace.
     */
    @Column(name = "SORT_NAME", nullable = false)
    private String sortName;

    @Column(name = "GRANTED_AT", nullable = false)
    private long grantedAt;

    @Column(name = "GRANTED_BY", nullable = false)
    private String grantedBy;

    @Column(name = "REVOKED_AT")
    private Long revokedAt;

    @Column(name = "REVOKED_BY")
    private String revokedBy;

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

    public String getWorkspaceId() {
        return workspaceId;
    }

    public void setWorkspaceId(String workspaceId) {
        this.workspaceId = workspaceId;
    }

    public String getWorkspaceName() {
        return workspaceName;
    }

    public void setWorkspaceName(String workspaceName) {
        this.workspaceName = workspaceName;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public PrincipalKind getPrincipalKind() {
        return PrincipalKind.valueOf(principalKind);
    }

    public void setPrincipalKind(PrincipalKind principalKind) {
        this.principalKind = principalKind.name();
    }

    public String getPrincipal() {
        return principal;
    }

    public void setPrincipal(String principal) {
        this.principal = principal;
    }

    public String getSortName() {
        return sortName;
    }

    public void setSortName(String sortName) {
        this.sortName = sortName;
    }

    public long getGrantedAt() {
        return grantedAt;
    }

    public void setGrantedAt(long grantedAt) {
        this.grantedAt = grantedAt;
    }

    public String getGrantedBy() {
        return grantedBy;
    }

    public void setGrantedBy(String grantedBy) {
        this.grantedBy = grantedBy;
    }

    public Long getRevokedAt() {
        return revokedAt;
    }

    public void setRevokedAt(Long revokedAt) {
        this.revokedAt = revokedAt;
    }

    public String getRevokedBy() {
        return revokedBy;
    }

    public void setRevokedBy(String revokedBy) {
        this.revokedBy = revokedBy;
    }
}
