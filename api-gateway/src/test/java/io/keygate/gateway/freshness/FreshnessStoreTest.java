package io.keygate.gateway.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import io.keygate.gateway.freshness.Change.WorkspaceChange;
import io.keygate.gateway.freshness.FreshnessStore.Position;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.Migrations;
import io.keygate.gateway.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feeds' durable memory on H2 and on a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessStoreTest {

    @TempDir
    static Path dir;
    EmbeddedPostgres postgres;
    Database h2;
    Database pg;

    @BeforeAll
    void open() throws Exception {
        postgres = EmbeddedPostgres.start();
        pg = new Database(new StoreConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 4));
        h2 = new Database(new StoreConfig(ReceivingGateway.h2(dir, "store"), "", "", 4));
        new Migrations(pg).migrate();
        new Migrations(h2).migrate();
    }

    @AfterAll
    void close() throws Exception {
        h2.close();
        pg.close();
        postgres.close();
    }

    private Database database(String which) {
        return which.equals("pg") ? pg : h2;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void recordedChangesAndPositionsComeBackNewestFirstWins(String which) {
        FreshnessStore store = new FreshnessStore(database(which));
        String issuer = "http://kc/realms/" + UUID.randomUUID();
        Position position = new Position("stream-1", "keygate-gateway", 7, 1234);
        store.record("gw-1", issuer, position, List.of(
                new VerifiedSet("j1", 5, 100, new ClaimsChange("bob", 2000, Map.of("workspaces", Map.of("ws", "Viewer")))),
                new VerifiedSet("j2", 6, 100, new SessionRevoked("bob", "sid-1", 2100, "logout")),
                new VerifiedSet("j3", 7, 100, new WorkspaceChange("ws", 2200, "Editor", false))));
        store.record("gw-2", issuer, new Position("stream-2", "keygate-gateway", 7, 0), List.of(
                new VerifiedSet("j1", 5, 100, new ClaimsChange("bob", 1500, Map.of("workspaces", Map.of("ws", "Admin"))))));

        assertEquals(position, store.position("gw-1", issuer).orElseThrow());
        assertEquals(7, store.position("gw-2", issuer).orElseThrow().lastSeq(), "each instance keeps its own position");
        List<Change> changes = store.changes(issuer, 0);
        assertEquals(3, changes.size(), changes.toString());
        ClaimsChange claims = (ClaimsChange) changes.stream().filter(c -> c instanceof ClaimsChange).findFirst().orElseThrow();
        assertEquals(2000, claims.eventMillis(), "an older change written later by another instance does not win");
        assertEquals(Map.of("ws", "Viewer"), claims.claims().get("workspaces"));
        assertTrue(changes.contains(new SessionRevoked("bob", "sid-1", 2100, "logout")), changes.toString());
        assertTrue(changes.contains(new WorkspaceChange("ws", 2200, "Editor", false)), changes.toString());
        assertEquals(Map.of("j1", 100L, "j2", 100L, "j3", 100L), store.seen("stream-1", 0));

        store.forget(issuer, 2150, 50);
        assertEquals(1, store.changes(issuer, 0).size(), "changes older than the cutoff are gone");
    }
}
