package io.keygate.keycloak.workspace;

import jakarta.persistence.LockModeType;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The database row lock ({@code SELECT … FOR UPDATE} through JPA's {@code PESSIMISTIC_WRITE}) on a
 * workspace's group row, held until the transaction ends. Every keygate membership write takes it
 * first, and the last-Admin guard takes it before the Admin group's lock, so all writers to one
 * workspace lock in the same order (workspace row, then Admin group row) on every Keycloak node:
 * concurrent writes on different nodes run one after the other instead of interleaving their
 * checks, and cannot deadlock on the two locks. The in-JVM {@code WorkspaceLocks} only spare a
 * node's own requests the database wait.
 */
public final class WorkspaceRowLock {

    private final KeycloakSession session;

    public WorkspaceRowLock(KeycloakSession session) {
        this.session = session;
    }

    /** Locks the group of workspace {@code name} when it exists (a workspace being created has no row yet: its unique name guards it). */
    public void lock(RealmModel realm, String name) {
        new WorkspaceGroups(session, realm).root().ifPresent(root -> session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("select g.id from GroupEntity g where g.realm = :realm and g.parentId = :root and g.name = :name")
                .setParameter("realm", realm.getId())
                .setParameter("root", root.getId())
                .setParameter("name", name)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList());
    }

    /** Locks {@code group}'s row (a workspace group, or one of its role groups). */
    public void lock(GroupModel group) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("select g.id from GroupEntity g where g.id = :id")
                .setParameter("id", group.getId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }
}
