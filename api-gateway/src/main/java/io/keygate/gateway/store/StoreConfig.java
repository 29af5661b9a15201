package io.keygate.gateway.store;

/**
 * Where the gateway keeps its own data. An H2 file by default; PostgreSQL when the JDBC URL says so.
 *
 * @param jdbcUrl  JDBC URL, for example {@code jdbc:h2:file:./data/keygate} or {@code jdbc:postgresql://db/keygate}
 * @param user     database user ({@code sa} for H2 when empty)
 * @param password database password (may be empty)
 * @param poolSize how many connections to keep open
 */
public record StoreConfig(String jdbcUrl, String user, String password, int poolSize) {

    public static final String DEFAULT_JDBC_URL = "jdbc:h2:file:./data/keygate";

    public StoreConfig {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            jdbcUrl = DEFAULT_JDBC_URL;
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        poolSize = poolSize <= 0 ? 8 : poolSize;
    }

    /** An H2 file store at {@code path} (without extension). */
    public static StoreConfig h2File(String path) {
        return new StoreConfig("jdbc:h2:file:" + path, "sa", "", 8);
    }

    public boolean isH2() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }
}
