package io.keygate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway replaces the hand-made runner: databases the old runner left at version 4 or 5 are
 * upgraded in place with their data, on H2 and on a real PostgreSQL, and concurrent migrations of
 * one empty database apply each version once.
 */
class FlywayMigrationsTest {

    @TempDir
    static Path dir;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    private static Database freshPostgres(String name) {
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Database(new StoreConfig(postgres.getJdbcUrl("postgres", name), "postgres", "postgres", 4));
    }

    @Test
    void legacyVersion4OnH2IsUpgradedInPlace() {
        try (Database database = new Database(StoreConfig.h2File(dir.resolve("legacy4").toString()))) {
            upgradesInPlace(database, 4, List.of(5, 6));
        }
    }

    @Test
    void legacyVersion5OnH2IsBaselinedAndUpgraded() {
        try (Database database = new Database(StoreConfig.h2File(dir.resolve("legacy5").toString()))) {
            upgradesInPlace(database, 5, List.of(6));
        }
    }

    @Test
    void legacyVersion4OnPostgresIsUpgradedInPlace() {
        try (Database database = freshPostgres("legacy4")) {
            upgradesInPlace(database, 4, List.of(5, 6));
        }
    }

    @Test
    void legacyVersion5OnPostgresIsBaselinedAndUpgraded() {
        try (Database database = freshPostgres("legacy5")) {
            upgradesInPlace(database, 5, List.of(6));
        }
    }

    private static void upgradesInPlace(Database database, int legacyVersion, List<Integer> expectedApplied) {
        LegacySchema.create(database, legacyVersion);
        database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO workspace_cleanups (workspace, stage, attempts, requested_by, updated_at) "
                        + "VALUES ('kept-ws', 'failed', 3, 'admin@example.com', CURRENT_TIMESTAMP)");
            }
            return null;
        });

        Migrations migrations = new Migrations(database);
        assertEquals(java.util.Optional.of(legacyVersion), migrations.legacyVersion());
        List<Integer> applied = migrations.migrate();

        System.out.println("[keygate-test] legacy v" + legacyVersion + " on " + (database.config().isH2() ? "H2" : "PostgreSQL")
                + ": applied " + applied + ", history " + history(database));
        assertEquals(expectedApplied, applied);
        assertEquals(6, migrations.currentVersion());
        assertEquals(List.of(), migrations.migrate(), "a second start applies nothing");
        assertEquals(3, count(database, "SELECT attempts FROM workspace_cleanups WHERE workspace = 'kept-ws'"), "data kept");
        assertEquals(0, count(database, "SELECT COUNT(*) FROM freshness_streams"), "version 5's tables exist");
    }

    @Test
    void gatewaysMigratingAnEmptyPostgresAtOnceApplyEachVersionOnce() throws Exception {
        int starters = 4;
        List<Database> databases = new ArrayList<>();
        databases.add(freshPostgres("concurrent"));
        for (int i = 1; i < starters; i++) {
            databases.add(new Database(new StoreConfig(postgres.getJdbcUrl("postgres", "concurrent"), "postgres", "postgres", 4)));
        }
        CyclicBarrier together = new CyclicBarrier(starters);
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (Database database : databases) {
                Callable<List<Integer>> start = () -> {
                    together.await();
                    return new Migrations(database).migrate();
                };
                results.add(pool.submit(start));
            }
            List<Integer> appliedByAll = new ArrayList<>();
            for (Future<List<Integer>> result : results) {
                appliedByAll.addAll(result.get());
            }
            appliedByAll.sort(null);
            System.out.println("[keygate-test] " + starters + " concurrent migrations of an empty PostgreSQL applied "
                    + appliedByAll + "; history " + history(databases.get(0)));
            assertEquals(List.of(1, 2, 3, 4, 5, 6), appliedByAll, "each version applied by exactly one starter");
            assertEquals(List.of("001", "002", "003", "004", "005", "006"), history(databases.get(0)));
        } finally {
            pool.shutdownNow();
            databases.forEach(Database::close);
        }
    }

    /** The versions in Flyway's history, in order, each as often as it was recorded. */
    static List<String> history(Database database) {
        return database.inTransaction(connection -> {
            List<String> versions = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getString(1));
                }
            }
            return versions;
        });
    }

    private static int count(Database database, String sql) {
        return database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }
}
