package io.keygate.gateway.store;

import java.sql.SQLException;

/** A storage failure the caller cannot fix: answered as a 5xx without leaking SQL to the client. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the database refused the write because a unique key already exists. */
    public boolean isUniqueViolation() {
        return getCause() instanceof SQLException sql && isUniqueViolation(sql);
    }

    /** SQLSTATE 23505 is unique violation on both H2 and PostgreSQL. */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
