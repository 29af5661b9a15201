package io.keygate.gateway.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on a real PostgreSQL server (embedded binaries, no Docker). */
class PostgresResourceStoreTest extends ResourceStoreContract {

    private static EmbeddedPostgres postgres;
    private static Database database;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        database = new Database(new StoreConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 4));
        new Migrations(database).migrate();
    }

    @AfterAll
    static void stop() throws IOException {
        database.close();
        postgres.close();
    }

    @Override
    Database database() {
        return database;
    }
}
