package io.keygate.gateway.audit.query;

import io.keygate.gateway.audit.AuditEntry;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.web.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the audit trail written by {@link io.keygate.gateway.audit.JdbcAuditSink} (table
 * {@code audit_entries}, H2 or PostgreSQL), filtered and one page at a time, newest first unless
 * the page asks for {@code created_at} (oldest first). Every value is bound as a parameter.
 */
public final class AuditEntries {

    private static final String COLUMNS = "id, recorded_at, principal, issuer, method, path, workspace, status, "
            + "client_address, duration_ms, outcome";

    /** One stored entry with its row id (stable, increasing with time of recording). */
    public record Stored(long id, AuditEntry entry) {
    }

    /** One page of entries and how many match in all. */
    public record Result(List<Stored> entries, long total) {
    }

    private final Database database;

    public AuditEntries(Database database) {
        this.database = database;
    }

    public Result find(AuditFilter filter, PageRequest page) {
        return database.inTransaction(connection -> {
            Where where = Where.of(filter);
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit_entries" + where.sql())) {
                where.bind(count);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            return new Result(select(connection, where, page), total);
        });
    }

    private static List<Stored> select(Connection connection, Where where, PageRequest page) throws SQLException {
        String order = page.descending() ? "DESC" : "ASC";
        List<Stored> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM audit_entries" + where.sql()
                + " ORDER BY id " + order + " LIMIT ? OFFSET ?")) {
            int next = where.bind(select);
            select.setInt(next, page.pageSize());
            select.setLong(next + 1, (long) page.offset());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Stored(rows.getLong(1), new AuditEntry(rows.getObject(2, OffsetDateTime.class).toInstant(),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getInt(8), rows.getString(9), rows.getLong(10), rows.getString(11))));
                }
            }
        }
        return entries;
    }

    /** The WHERE clause of a filter and its values, in order. */
    private record Where(String sql, List<Object> values) {

        static Where of(AuditFilter filter) {
            StringBuilder sql = new StringBuilder();
            List<Object> values = new ArrayList<>();
            add(sql, values, "principal = ?", filter.principal());
            add(sql, values, "workspace = ?", filter.workspace());
            add(sql, values, "method = ?", filter.method());
            add(sql, values, "status = ?", filter.status());
            add(sql, values, "recorded_at >= ?", filter.since() == null ? null : OffsetDateTime.ofInstant(filter.since(), ZoneOffset.UTC));
            add(sql, values, "recorded_at < ?", filter.until() == null ? null : OffsetDateTime.ofInstant(filter.until(), ZoneOffset.UTC));
            if (filter.failedOnly()) {
                sql.append(sql.length() == 0 ? " WHERE " : " AND ").append("status >= 400");
            }
            return new Where(sql.toString(), values);
        }

        private static void add(StringBuilder sql, List<Object> values, String condition, Object value) {
            if (value != null) {
                sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(condition);
                values.add(value);
            }
        }

        int bind(PreparedStatement statement) throws SQLException {
            int index = 1;
            for (Object value : values) {
                statement.setObject(index++, value);
            }
            return index;
        }
    }
}
