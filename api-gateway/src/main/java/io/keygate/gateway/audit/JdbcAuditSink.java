package io.keygate.gateway.audit;

import io.keygate.gateway.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit entries in the gateway's store (table {@code audit_entries}, H2 or PostgreSQL). Entries
 * arrive with secrets already masked. A store failure is logged, never thrown: the request was
 * answered already.
 */
public final class JdbcAuditSink implements AuditSink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditSink.class);

    private final Database database;

    public JdbcAuditSink(Database database) {
        this.database = database;
    }

    @Override
    public void record(AuditEntry entry) {
        try {
            database.inTransaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_entries (recorded_at, "
                        + "principal, issuer, method, path, workspace, status, client_address, duration_ms, outcome) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setObject(1, OffsetDateTime.ofInstant(entry.time(), ZoneOffset.UTC));
                    insert.setString(2, entry.principal());
                    insert.setString(3, entry.issuer());
                    insert.setString(4, entry.method());
                    insert.setString(5, clip(entry.path(), 2000));
                    insert.setString(6, entry.workspace());
                    insert.setInt(7, entry.status());
                    insert.setString(8, clip(entry.clientAddress(), 64));
                    insert.setLong(9, entry.durationMillis());
                    insert.setString(10, entry.outcome());
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("audit entry for {} {} could not be stored: {}", entry.method(), entry.path(), e.getMessage());
        }
    }

    /** The newest entries first, at most {@code limit}. */
    public List<AuditEntry> recent(int limit) {
        return select("", null, limit);
    }

    /** The newest entries whose path starts with {@code pathPrefix}, at most {@code limit}. */
    public List<AuditEntry> recentUnder(String pathPrefix, int limit) {
        return select("WHERE LEFT(path, ?) = ? ", pathPrefix, limit);
    }

    private List<AuditEntry> select(String where, String pathPrefix, int limit) {
        return database.inTransaction(connection -> {
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT recorded_at, principal, issuer, method, "
                    + "path, workspace, status, client_address, duration_ms, outcome FROM audit_entries "
                    + where + "ORDER BY id DESC LIMIT ?")) {
                int index = 1;
                if (pathPrefix != null) {
                    select.setInt(index++, pathPrefix.length());
                    select.setString(index++, pathPrefix);
                }
                select.setInt(index, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new AuditEntry(rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getString(2),
                                rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getInt(7),
                                rows.getString(8), rows.getLong(9), rows.getString(10)));
                    }
                }
            }
            return entries;
        });
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
