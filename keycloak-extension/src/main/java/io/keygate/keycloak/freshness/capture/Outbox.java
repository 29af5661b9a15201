package io.keygate.keycloak.freshness.capture;

import io.keygate.keycloak.freshness.store.Jpa;
import io.keygate.keycloak.freshness.store.SsfEventEntity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.Provider;

/**
 * Writes outbox rows in the transaction of the change they describe, so a change that rolls back
 * (e.g. a refused last-Admin removal) leaves no row, and a committed one always does. One row
 * per (kind, subject, session) per transaction: the SET carries the subject's values as they are
 * after commit, so a second row would say the same. After the commit an {@link OutboxCommitted}
 * event asks this node's sequencer to assign seqs at once. That event is raised when the session
 * closes, i.e. after every after-completion step of the transaction, notably Keycloak's cache
 * invalidations: the sequencer never builds a SET from cached values older than the change.
 */
public final class Outbox {

    private static final String WRITTEN = "keygate.ssf.outbox.written";
    private static final String ROW_IDS = "keygate.ssf.outbox.rows";

    /** The user's workspaces, orgs or realm roles may have changed. */
    public void claimsChanged(KeycloakSession session, String realmId, String userId) {
        record(session, realmId, EventKind.CLAIMS, userId, null, null);
    }

    /** One session ({@code sessionId} non-null) or every session of the user ended. */
    public void sessionRevoked(KeycloakSession session, String realmId, String userId, String sessionId, String reason) {
        record(session, realmId, EventKind.SESSION, userId, sessionId, reason);
    }

    /** A workspace's wildcard or deletion state may have changed (touches every user). */
    public void workspaceChanged(KeycloakSession session, String realmId, String workspace) {
        record(session, realmId, EventKind.WORKSPACE, workspace, null, null);
    }

    private void record(KeycloakSession session, String realmId, EventKind kind, String subject, String sessionId, String reason) {
        Set<String> written = writtenInThisTransaction(session);
        if (!written.add(kind + "|" + realmId + "|" + subject + "|" + sessionId)) {
            return;
        }
        SsfEventEntity row = new SsfEventEntity();
        row.setId(KeycloakModelUtils.generateId());
        row.setRealmId(realmId);
        row.setKind(kind.name());
        row.setSubject(subject);
        row.setSessionId(sessionId);
        row.setReason(reason);
        row.setCreatedAt(System.currentTimeMillis());
        Jpa.em(session).persist(row);
        rowIds(session).add(row.getId());
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowIds(KeycloakSession session) {
        return session.getAttribute(ROW_IDS, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> writtenInThisTransaction(KeycloakSession session) {
        Set<String> written = session.getAttribute(WRITTEN, Set.class);
        if (written == null) {
            written = new HashSet<>();
            session.setAttribute(WRITTEN, written);
            session.setAttribute(ROW_IDS, new ArrayList<String>());
            session.getTransactionManager().enlistAfterCompletion(new AfterCommit(session, session.getKeycloakSessionFactory()));
        }
        return written;
    }

    /** Runs after the change's transaction: on commit wakes the sequencer; either way forgets the dedupe set. */
    private static final class AfterCommit extends AbstractKeycloakTransaction {
        private final KeycloakSession session;
        private final KeycloakSessionFactory factory;

        AfterCommit(KeycloakSession session, KeycloakSessionFactory factory) {
            this.session = session;
            this.factory = factory;
        }

        @Override
        protected void commitImpl() {
            List<String> ids = List.copyOf(rowIds(session));
            session.removeAttribute(WRITTEN);
            session.removeAttribute(ROW_IDS);
            session.enlistForClose(new PublishOnClose(factory, ids));
        }

        @Override
        protected void rollbackImpl() {
            session.removeAttribute(WRITTEN);
            session.removeAttribute(ROW_IDS);
        }
    }

    /** Publishes {@link OutboxCommitted} when the session closes, after the transaction completed entirely. */
    private record PublishOnClose(KeycloakSessionFactory factory, List<String> ids) implements Provider {
        @Override
        public void close() {
            factory.publish(new OutboxCommitted(ids));
        }
    }
}
