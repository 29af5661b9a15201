package io.keygate.gateway.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Versioned schema migrations through Flyway: the SQL files {@code db/migration/V001__what.sql},
 * {@code V002__...} on the classpath, applied in order and recorded in {@code flyway_schema_history}.
 *
 * <p>Contract: several gateways may start at the same moment on one database; Flyway's database
 * lock (a PostgreSQL advisory lock, a table lock on H2) lets one of them migrate while the others
 * wait, so each version is applied once. A released file must never be edited (Flyway's checksum
 * check then refuses to start); add the next number instead. The SQL must run on H2 and PostgreSQL.
 *
 * <p>Upgrade: a database migrated by the earlier hand-made runner (table {@code schema_version})
 * is baselined at the version recorded there, so nothing is applied twice and its data stays; the
 * old table is left in place, unused.
 */
public final class Migrations {

    static final String LOCATION = "classpath:db/migration";
    static final String LEGACY_TABLE = "schema_version";

    private final Database database;

    public Migrations(Database database) {
        this.database = database;
    }

    /** Applies every migration not yet recorded; returns the versions applied now, in order. */
    public List<Integer> migrate() {
        MigrateResult result = flyway().migrate();
        return result.migrations.stream().map(m -> Integer.parseInt(m.version)).toList();
    }

    /** The highest applied (or baselined) version, 0 when none. */
    public int currentVersion() {
        MigrationInfo current = flyway().info().current();
        return current == null || current.getVersion() == null ? 0 : Integer.parseInt(current.getVersion().getVersion());
    }

    private Flyway flyway() {
        FluentConfiguration config = Flyway.configure()
                .dataSource(database.connectionUrl(), database.config().user(), database.config().password())
                .locations(LOCATION)
                .validateMigrationNaming(true);
        legacyVersion().ifPresent(version -> config.baselineOnMigrate(true).baselineVersion(Integer.toString(version))
                .baselineDescription("schema_version " + version + " of the hand-made runner"));
        return config.load();
    }

    /** The version the hand-made runner recorded, when its table exists and holds one. */
    Optional<Integer> legacyVersion() {
        return database.inTransaction(connection -> {
            if (!tableExists(connection, LEGACY_TABLE)) {
                return Optional.empty();
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
                rows.next();
                int version = rows.getInt(1);
                return rows.wasNull() ? Optional.<Integer>empty() : Optional.of(version);
            }
        });
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = connection.getSchema();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = meta.getTables(null, schema, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
