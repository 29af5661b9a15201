package io.keygate.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: numbered SQL files {@code db/migration/V001__what.sql},
 * {@code V002__...} on the classpath, applied in order, each in its own transaction, each recorded
 * in {@code schema_version}. A file is never applied twice; files must never be edited once
 * released (add a new number instead). The SQL must run on both H2 and PostgreSQL.
 */
public final class Migrations {

    static final String INDEX = "db/migration/index.txt";

    private final Database database;
    private final ClassLoader loader;

    public Migrations(Database database) {
        this(database, Migrations.class.getClassLoader());
    }

    Migrations(Database database, ClassLoader loader) {
        this.database = database;
        this.loader = loader;
    }

    /** Applies every migration not yet recorded; returns the versions applied now. */
    public List<Integer> migrate() {
        database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                        + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            }
            return null;
        });
        int current = currentVersion();
        List<Integer> applied = new ArrayList<>();
        for (String file : files()) {
            int version = versionOf(file);
            if (version > current) {
                apply(version, file);
                applied.add(version);
            }
        }
        return applied;
    }

    /** The highest applied version, 0 when none. */
    public int currentVersion() {
        return database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    private List<String> files() {
        List<String> files = new ArrayList<>();
        for (String line : read(INDEX).split("\n")) {
            String file = line.trim();
            if (!file.isEmpty() && !file.startsWith("#")) {
                files.add(file);
            }
        }
        return files;
    }

    static int versionOf(String file) {
        if (!file.matches("V\\d{3}__[a-z0-9_]+\\.sql")) {
            throw new IllegalStateException("migration file name must look like V001__what.sql: " + file);
        }
        return Integer.parseInt(file.substring(1, 4));
    }

    private void apply(int version, String file) {
        String sql = read("db/migration/" + file);
        database.inTransaction(connection -> {
            for (String statement : statements(sql)) {
                try (Statement s = connection.createStatement()) {
                    s.execute(statement);
                }
            }
            record(connection, version, file);
            return null;
        });
    }

    private static void record(Connection connection, int version, String file) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, version);
            insert.setString(2, file);
            insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    /** Splits on semicolons at line ends; migrations keep one statement per semicolon and no procedural blocks. */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
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
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    private String read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
