package io.keygate.keycloak.binding;

import io.keygate.core.Role;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The role-binding rows of one realm ({@code KEYGATE_BINDING}), read and written in the session's
 * transaction. Nothing here checks rights or the last-Admin rule: callers do. A binding is revoked,
 * never deleted (the history), except when its whole realm is removed.
 */
public final class Bindings {

    /** Realm attribute set once the realm's membership data lives in this table (see the start-up migration). */
    public static final String MIGRATED_ATTRIBUTE = "keygate.bindings.version";
    public static final String MIGRATED_VERSION = "1";

    /** A user's display name: the email (username for service accounts and users without one). */
    private static final String USER_NAME = "case when u.serviceAccountClientLink is not null or u.email is null then u.username else u.email end";
    /** Display name of a row's principal: the user's name ({@link #USER_NAME}), the principal itself for the others. */
    private static final String NAME = "case when b.principalKind <> 'USER' then b.principal"
            + " when u.serviceAccountClientLink is not null or u.email is null then u.username else u.email end";
    /**
     * Public name of a history row's principal: as {@link #NAME}, or the stored user id once the
     * user is gone (their rows stay as history).
     */
    static final String HISTORY_NAME = "case when b.principalKind <> 'USER' then b.principal when u.id is null then b.principal"
            + " when u.serviceAccountClientLink is not null or u.email is null then u.username else u.email end";
    private static final String ACTIVE_IN_WORKSPACE = " from BindingEntity b left join UserEntity u on u.id = b.principal"
            + " where b.workspaceId = :ws and b.revokedAt is null and (b.principalKind <> 'USER' or u.id is not null)";

    private final EntityManager em;
    private final RealmModel realm;

    public Bindings(KeycloakSession session, RealmModel realm) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.realm = realm;
    }

    /** True once the realm's legacy attributes were migrated; before that (e.g. during a realm import) rows are left to the migration. */
    public boolean migrated() {
        return MIGRATED_VERSION.equals(realm.getAttribute(MIGRATED_ATTRIBUTE));
    }

    /** The active row binding {@code principal} to {@code role} in the workspace, if any. */
    public Optional<BindingEntity> active(GroupModel workspace, Role role, PrincipalKind kind, String principal) {
        return activeOf(workspace, kind, principal).stream().filter(b -> b.getRole().equals(role.name())).findFirst();
    }

    /** Every active row of one principal in the workspace (one per role). */
    public List<BindingEntity> activeOf(GroupModel workspace, PrincipalKind kind, String principal) {
        return em.createQuery("select b from BindingEntity b where b.workspaceId = :ws and b.principal = :principal"
                        + " and b.principalKind = :kind and b.revokedAt is null", BindingEntity.class)
                .setParameter("ws", workspace.getId())
                .setParameter("principal", principal)
                .setParameter("kind", kind.name())
                .setFlushMode(FlushModeType.AUTO)
                .getResultList();
    }

    /** Records a binding unless an active one exists; returns the active row. */
    public BindingEntity grant(GroupModel workspace, Role role, PrincipalKind kind, String principal, Instant at, String by) {
        List<BindingEntity> current = activeOf(workspace, kind, principal);
        Optional<BindingEntity> existing = current.stream().filter(b -> b.getRole().equals(role.name())).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        BindingEntity row = new BindingEntity();
        row.setId(KeycloakModelUtils.generateId());
        row.setRealmId(realm.getId());
        row.setWorkspaceId(workspace.getId());
        row.setWorkspaceName(workspace.getName());
        row.setRole(role.name());
        row.setPrincipalKind(kind);
        row.setPrincipal(principal);
        row.setSortName(sortName(kind, principal));
        row.setGrantedAt(at.toEpochMilli());
        row.setGrantedBy(by);
        em.persist(row);
        if (current.isEmpty()) {
            addToCount(workspace.getId(), 1);
        }
        return row;
    }

    /** The member-list sort key of a new row ({@link BindingEntity#getSortName()}). */
    private String sortName(PrincipalKind kind, String principal) {
        if (kind == PrincipalKind.WILDCARD) {
            return "";
        }
        if (kind != PrincipalKind.USER) {
            return principal;
        }
        return em.createQuery("select " + USER_NAME + " from UserEntity u where u.id = :id", String.class)
                .setParameter("id", principal).getResultList().stream().findFirst().orElse(principal);
    }

    /** Revokes the active binding of {@code principal} to {@code role}; true when there was one. */
    public boolean revoke(GroupModel workspace, Role role, PrincipalKind kind, String principal, Instant at, String by) {
        return active(workspace, role, kind, principal).map(row -> revoke(row, at, by)).isPresent();
    }

    /** Revokes one row. */
    public BindingEntity revoke(BindingEntity row, Instant at, String by) {
        if (row.getRevokedAt() != null) {
            return row;
        }
        row.setRevokedAt(at.toEpochMilli());
        row.setRevokedBy(by);
        boolean othersActive = em.createQuery("select count(b) from BindingEntity b where b.workspaceId = :ws and b.principal = :principal"
                        + " and b.principalKind = :kind and b.revokedAt is null and b.id <> :id", Long.class)
                .setParameter("ws", row.getWorkspaceId()).setParameter("principal", row.getPrincipal())
                .setParameter("kind", row.getPrincipalKind().name()).setParameter("id", row.getId())
                .setFlushMode(FlushModeType.AUTO)
                .getSingleResult() > 0;
        if (!othersActive) {
            addToCount(row.getWorkspaceId(), -1);
        }
        return row;
    }

    /** Revokes every active binding in a workspace (it is being deleted). */
    public int revokeWorkspace(GroupModel workspace, Instant at, String by) {
        em.createQuery("delete from MemberCountEntity c where c.workspaceId = :ws").setParameter("ws", workspace.getId()).executeUpdate();
        return em.createQuery("update BindingEntity b set b.revokedAt = :at, b.revokedBy = :by"
                        + " where b.workspaceId = :ws and b.revokedAt is null")
                .setParameter("at", at.toEpochMilli()).setParameter("by", by).setParameter("ws", workspace.getId())
                .executeUpdate();
    }

    /** Revokes every active binding of a user in this realm (the user is being deleted). */
    public int revokeUser(String userId, Instant at, String by) {
        List<String> workspaces = em.createQuery("select distinct b.workspaceId from BindingEntity b where b.realmId = :realm"
                        + " and b.principalKind = 'USER' and b.principal = :user and b.revokedAt is null", String.class)
                .setParameter("realm", realm.getId()).setParameter("user", userId)
                .getResultList();
        int revoked = em.createQuery("update BindingEntity b set b.revokedAt = :at, b.revokedBy = :by where b.realmId = :realm"
                        + " and b.principalKind = 'USER' and b.principal = :user and b.revokedAt is null")
                .setParameter("at", at.toEpochMilli()).setParameter("by", by)
                .setParameter("realm", realm.getId()).setParameter("user", userId)
                .executeUpdate();
        workspaces.forEach(workspaceId -> addToCount(workspaceId, -1));
        return revoked;
    }

    /** Deletes every row of the realm, history included (the realm itself is being removed). */
    public int deleteRealm() {
        em.createQuery("delete from MemberCountEntity c where c.realmId = :realm").setParameter("realm", realm.getId()).executeUpdate();
        return em.createQuery("delete from BindingEntity b where b.realmId = :realm")
                .setParameter("realm", realm.getId()).executeUpdate();
    }

    /** Active pending grants to an email, in every workspace of the realm. */
    public List<BindingEntity> pendingFor(String email) {
        return em.createQuery("select b from BindingEntity b where b.realmId = :realm and b.principalKind = 'PENDING_EMAIL'"
                        + " and b.principal = :email and b.revokedAt is null order by b.grantedAt", BindingEntity.class)
                .setParameter("realm", realm.getId()).setParameter("email", email)
                .getResultList();
    }

    /** Number of distinct principals with an active binding in the workspace (its kept count; counted when it has none). */
    public long countPrincipals(GroupModel workspace) {
        // A scalar query, not em.find: the bulk updates of addToCount do not refresh a managed instance.
        return em.createQuery("select c.members from MemberCountEntity c where c.workspaceId = :ws", Long.class)
                .setParameter("ws", workspace.getId())
                .setFlushMode(FlushModeType.AUTO)
                .getResultList().stream().findFirst()
                .orElseGet(() -> countInSql(workspace.getId()));
    }

    private long countInSql(String workspaceId) {
        return em.createQuery("select count(distinct b.principal)" + ACTIVE_IN_WORKSPACE, Long.class)
                .setParameter("ws", workspaceId)
                .setFlushMode(FlushModeType.AUTO)
                .getSingleResult();
    }

    /**
     * Adds {@code delta} to the workspace's kept member count, in this transaction (an in-place
     * {@code members = members + delta}, so concurrent changes add up). A workspace without a count
     * gets one, counted in SQL after this transaction's own changes.
     */
    private void addToCount(String workspaceId, int delta) {
        int updated = em.createQuery("update MemberCountEntity c set c.members = c.members + :delta where c.workspaceId = :ws")
                .setParameter("delta", (long) delta).setParameter("ws", workspaceId)
                .executeUpdate();
        if (updated == 0) {
            MemberCountEntity count = new MemberCountEntity();
            count.setWorkspaceId(workspaceId);
            count.setRealmId(realm.getId());
            count.setMembers(countInSql(workspaceId));
            em.persist(count);
        }
    }

    /**
     * One page of the workspace's principals, paged in the database: by name (the wildcard first) or
     * by the time of each principal's first active grant, then by name. Each principal is read through
     * its earliest active row (the {@code not exists} below), so the page is the first rows of an index
     * range ({@code IDX_KEYGATE_BINDING_WS_NAME} / {@code _WS_ACTIVE_AT}) and its cost does not grow with
     * the number of members.
     */
    public List<PrincipalRow> principalPage(GroupModel workspace, boolean byGrantedAt, boolean descending, int first, int max) {
        String direction = descending ? " desc" : " asc";
        String order = byGrantedAt
                ? " order by b.workspaceId" + direction + ", b.revokedAt" + direction + ", b.grantedAt" + direction + ", b.sortName" + direction
                : " order by b.workspaceId, b.revokedAt, b.sortName, b.principal";
        TypedQuery<Object[]> query = em.createQuery("select b.principalKind, b.principal, " + NAME + ACTIVE_IN_WORKSPACE
                        + " and not exists (select o.id from BindingEntity o where o.workspaceId = b.workspaceId and o.principal = b.principal"
                        + " and o.principalKind = b.principalKind and o.revokedAt is null"
                        + " and (o.grantedAt < b.grantedAt or (o.grantedAt = b.grantedAt and o.id < b.id)))" + order,
                Object[].class);
        return query.setParameter("ws", workspace.getId())
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList().stream()
                .map(row -> new PrincipalRow(PrincipalKind.valueOf((String) row[0]), (String) row[1], (String) row[2]))
                .toList();
    }

    /**
     * Active rows of the given principals in the workspace (for one page of the member list). The condition is
     * a list of (workspace, principal) pairs, not {@code workspace = ? and principal in (...)}: H2 (Keycloak's
     * dev database) uses an IN list only on an index's first column, so the plain form read every active row of
     * the workspace (a 10,000-member workspace's page took 5x as long as a 10-member one's); the pairs are
     * looked up in {@code IDX_KEYGATE_BINDING_WS}, one index probe each, on H2 and PostgreSQL alike.
     */
    public List<BindingEntity> activeOf(GroupModel workspace, Collection<String> principals) {
        if (principals.isEmpty()) {
            return List.of();
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(principals));
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < distinct.size(); i++) {
            pairs.append(i == 0 ? "" : ", ").append("(:ws, :p").append(i).append(')');
        }
        TypedQuery<BindingEntity> query = em.createQuery("select b from BindingEntity b where (b.workspaceId, b.principal) in ("
                + pairs + ") and b.revokedAt is null", BindingEntity.class).setParameter("ws", workspace.getId());
        for (int i = 0; i < distinct.size(); i++) {
            query.setParameter("p" + i, distinct.get(i));
        }
        return query.getResultList();
    }

    /** A binding's history: every row of the principal in the workspace, active or revoked, oldest first. */
    public List<BindingEntity> history(GroupModel workspace, PrincipalKind kind, String principal) {
        return em.createQuery("select b from BindingEntity b where b.workspaceId = :ws and b.principal = :principal"
                        + " and b.principalKind = :kind order by b.grantedAt", BindingEntity.class)
                .setParameter("ws", workspace.getId()).setParameter("principal", principal).setParameter("kind", kind.name())
                .getResultList();
    }

    /**
     * Takes a row lock on the realm, held until this transaction ends: start-up migrations of the
     * same realm on several Keycloak nodes run one after the other.
     */
    public void lockRealm() {
        em.createQuery("select r.id from RealmEntity r where r.id = :id")
                .setParameter("id", realm.getId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** A principal of a member-list page: kind, stored principal (user id, email or {@code *}) and display name. */
    public record PrincipalRow(PrincipalKind kind, String principal, String name) {
    }
}
