package io.keygate.gateway.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on an H2 file database (the default store). */
class H2ResourceStoreTest extends ResourceStoreContract {

    @TempDir
    static Path dir;

    private static Database database;

    @BeforeAll
    static void open() {
        database = new Database(StoreConfig.h2File(dir.resolve("keygate").toString()));
        new Migrations(database).migrate();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    Database database() {
        return database;
    }
}
