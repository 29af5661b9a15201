package io.keygate.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Builds a database the way the hand-made runner (before Flyway) left it: the migration files up
 * to {@code version} applied statement by statement and each recorded in {@code schema_version}.
 */
public final class LegacySchema {

    static final List<String> FILES = List.of("V001__resources.sql", "V002__workspace_cleanups.sql",
            "V003__audit_entries.sql", "V004__org_allocations.sql", "V005__freshness.sql");

    private LegacySchema() {
    }

    public static void create(Database database, int version) {
        database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                        + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                for (int v = 1; v <= version; v++) {
                    for (String sql : statements(read(FILES.get(v - 1)))) {
                        statement.execute(sql);
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                        insert.setInt(1, v);
                        insert.setString(2, FILES.get(v - 1));
                        insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** The old runner's splitter: one statement per line-ending semicolon, comment lines dropped. */
    private static List<String> statements(String sql) {
        List<String> statements = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }

    private static String read(String file) {
        try (InputStream in = LegacySchema.class.getClassLoader().getResourceAsStream("db/migration/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
