package io.keygate.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's store (H2 file or PostgreSQL) behind a bounded HikariCP pool: at most
 * {@link StoreConfig#poolSize()} connections are ever open; a request that finds them all busy waits
 * at most {@link #CONNECTION_TIMEOUT_MILLIS} and then fails with {@link StoreException} (answered 503),
 * instead of opening one more connection per concurrent request.
 *
 * <p>Durability contract: {@link #inTransaction} commits before it returns, and H2 is opened with
 * {@code WRITE_DELAY=0}, so a write whose call returned normally survives a crash of the gateway
 * process; callers send their 2xx only after that.
 */
public final class Database implements AutoCloseable {

    static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
    /** How long a starting gateway waits for its store before it gives up (a PostgreSQL still starting). */
    public static final Duration STARTUP_PATIENCE = Duration.ofSeconds(120);
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** The pool's state for metrics. */
    public record PoolStats(int active, int idle, int pending, int max) {
    }

    private final StoreConfig config;
    private final HikariDataSource pool;

    public Database(StoreConfig config) {
        this.config = config;
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("keygate-store-" + POOLS.incrementAndGet());
        hikari.setJdbcUrl(config.isH2() ? h2Url(config.jdbcUrl()) : config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        hikari.setValidationTimeout(VALIDATION_TIMEOUT_SECONDS * 1000L);
        hikari.setAutoCommit(false);
        // Start even while PostgreSQL is down: the first query fails with 503 and /readyz says why.
        hikari.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(hikari);
    }

    /**
     * Returns once the store answers a connection, trying again (each try waits up to
     * {@link #CONNECTION_TIMEOUT_MILLIS}) until {@code patience} has passed: at start-up PostgreSQL may
     * still be starting, as when a cluster comes up on a loaded host. Each failed try is logged.
     *
     * @throws StoreException when the store did not answer within {@code patience}
     */
    public void awaitReachable(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pool.getConnection()) {
                if (attempt > 1) {
                    LOG.info("store ({}) reachable after {} attempts", connection.getMetaData().getDatabaseProductName(), attempt);
                }
                return;
            } catch (SQLException e) {
                if (System.nanoTime() >= deadline) {
                    throw new StoreException("the store at " + config.jdbcUrl() + " did not answer within "
                            + patience.toSeconds() + " s: " + e.getMessage(), e);
                }
                LOG.warn("store not reachable yet (attempt {}, waiting up to {} s in all): {}", attempt, patience.toSeconds(), e.getMessage());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    /** H2: flush every commit to the file at once and keep the database open between connections. */
    private static String h2Url(String jdbcUrl) {
        String url = jdbcUrl;
        if (!url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            url += ";WRITE_DELAY=0";
        }
        if (!url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_DELAY")) {
            url += ";DB_CLOSE_DELAY=-1";
        }
        return url;
    }

    /**
     * The JDBC URL the pool connects with (H2 options added). Flyway opens its own connections with
     * it: it expects auto-commit connections, the pool's are not.
     */
    String connectionUrl() {
        return pool.getJdbcUrl();
    }

    public StoreConfig config() {
        return config;
    }

    /** Work done with one connection, in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction and commits it; rolls back and rethrows on any failure.
     * When this returns, the change is committed.
     */
    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = borrow()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** True when a connection can be had and answers a validation query. */
    public boolean isReachable() {
        try {
            return inTransaction(connection -> connection.isValid(VALIDATION_TIMEOUT_SECONDS));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Connections in use, idle, waited for, and the bound. */
    public PoolStats poolStats() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return new PoolStats(0, 0, 0, config.poolSize());
        }
        return new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection(),
                config.poolSize());
    }

    private Connection borrow() throws SQLException {
        if (pool.isClosed()) {
            throw new SQLException("store is closed");
        }
        Connection connection = pool.getConnection();
        if (connection.getAutoCommit()) {
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // HikariCP evicts a connection that fails like this
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
