package io.keygate.keycloak.rest;

import io.keygate.core.ApiException;
import java.sql.SQLException;
import java.util.Optional;
import org.keycloak.models.ModelDuplicateException;

/**
 * The database failures a keygate change can anticipate, as the client errors they are. A change
 * runs in a transaction of its own ({@code KeygateResource.write}), so such a failure, raised by a
 * flush during the change or by the commit after it, has already rolled everything back: nothing
 * is half-applied, and the caller gets a clear answer instead of a 500.
 *
 * <ul>
 *   <li>a unique key or other integrity constraint (SQLState class {@code 23}, or Keycloak's
 *       {@link ModelDuplicateException}), typically two nodes creating the same entry at once: 409;</li>
 *   <li>a value the column cannot hold (SQLState class {@code 22}: too long, a character the
 *       encoding refuses) that slipped past validation: 422.</li>
 * </ul>
 * The detail never carries the database's message, which quotes SQL and values.
 */
final class PersistenceFailures {

    /** Deep enough for Hibernate, JTA and Keycloak's wrappers; bounded in case of a cause cycle. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private PersistenceFailures() {
    }

    /** The client error {@code failure} stands for, or empty when it is not an anticipated database failure. */
    static Optional<ApiException> clientError(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return fromSqlState(sql.getSQLState());
            }
            if (cause instanceof ModelDuplicateException duplicate) {
                return Optional.of(duplicate.getCause() == null
                        ? ApiException.conflict("Conflicting change: " + duplicate.getMessage())
                        : concurrentChange());
            }
        }
        return Optional.empty();
    }

    private static Optional<ApiException> fromSqlState(String state) {
        if (state.startsWith("23")) {
            return Optional.of(concurrentChange());
        }
        if (state.startsWith("22")) {
            return Optional.of(ApiException.unprocessable(
                    "A value does not fit where Keycloak stores it (too long, or characters the database cannot keep)"));
        }
        return Optional.empty();
    }

    private static ApiException concurrentChange() {
        return ApiException.conflict("Conflicting change: another request created or changed the same entry at the same time; "
                + "nothing was changed, retry");
    }
}
