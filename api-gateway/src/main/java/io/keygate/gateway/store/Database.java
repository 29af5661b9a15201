package io.keygate.gateway.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A small bounded pool of JDBC connections to the gateway's store (H2 file or PostgreSQL).
 *
 * <p>Durability contract: {@link #inTransaction} commits before it returns, and H2 is opened with
 * {@code WRITE_DELAY=0}, so a write whose call returned normally survives a crash of the gateway
 * process; callers send their 2xx only after that.
 */
public final class Database implements AutoCloseable {

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final StoreConfig config;
    private final String url;
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    public Database(StoreConfig config) {
        this.config = config;
        this.url = config.isH2() ? h2Url(config.jdbcUrl()) : config.jdbcUrl();
        this.idle = new ArrayBlockingQueue<>(config.poolSize());
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
        Connection connection = borrow();
        boolean healthy = false;
        try {
            connection.setAutoCommit(false);
            T result = work.run(connection);
            connection.commit();
            healthy = true;
            return result;
        } catch (SQLException e) {
            rollbackQuietly(connection);
            healthy = isUsable(connection);
            throw new StoreException(e);
        } catch (RuntimeException e) {
            rollbackQuietly(connection);
            healthy = isUsable(connection);
            throw e;
        } finally {
            giveBack(connection, healthy);
        }
    }

    /** True when a connection can be opened and answers a validation query. */
    public boolean isReachable() {
        try {
            return inTransaction(connection -> connection.isValid(VALIDATION_TIMEOUT_SECONDS));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Connection borrow() {
        if (closed) {
            throw new StoreException(new SQLException("store is closed"));
        }
        Connection connection = idle.poll();
        while (connection != null) {
            if (isUsable(connection)) {
                return connection;
            }
            closeQuietly(connection);
            connection = idle.poll();
        }
        try {
            return DriverManager.getConnection(url, config.user(), config.password());
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private void giveBack(Connection connection, boolean healthy) {
        if (closed || !healthy || !idle.offer(connection)) {
            closeQuietly(connection);
        }
    }

    private static boolean isUsable(Connection connection) {
        try {
            return !connection.isClosed() && connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is discarded when it is no longer valid
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.poll()) != null) {
            closeQuietly(connection);
        }
    }
}
