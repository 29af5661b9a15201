package io.keygate.gateway.workspaces;

import io.keygate.gateway.store.Database;
import io.keygate.gateway.web.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Durable state of workspace cleanups, so a restarted gateway resumes the ones it was doing. */
public final class CleanupRepository {

    private final Database database;

    public CleanupRepository(Database database) {
        this.database = database;
    }

    /** Records (or restarts) a cleanup in stage pending, counting one more attempt. */
    public Cleanup begin(String workspace, String requestedBy) {
        return database.inTransaction(connection -> {
            Optional<Cleanup> existing = find(connection, workspace);
            int attempts = existing.map(Cleanup::attempts).orElse(0) + 1;
            Cleanup cleanup = new Cleanup(workspace, CleanupStage.pending, attempts, null, requestedBy, Json.now());
            String sql = existing.isPresent()
                    ? "UPDATE workspace_cleanups SET stage = ?, attempts = ?, last_error = ?, requested_by = ?, updated_at = ? WHERE workspace = ?"
                    : "INSERT INTO workspace_cleanups (stage, attempts, last_error, requested_by, updated_at, workspace) VALUES (?, ?, ?, ?, ?, ?)";
            try (PreparedStatement write = connection.prepareStatement(sql)) {
                write.setString(1, cleanup.stage().name());
                write.setInt(2, attempts);
                write.setString(3, null);
                write.setString(4, requestedBy);
                write.setObject(5, cleanup.updatedAt());
                write.setString(6, workspace);
                write.executeUpdate();
            }
            return cleanup;
        });
    }

    public void setStage(String workspace, CleanupStage stage, String error) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE workspace_cleanups SET stage = ?, last_error = ?, updated_at = ? WHERE workspace = ?")) {
                update.setString(1, stage.name());
                update.setString(2, error == null ? null : error.substring(0, Math.min(error.length(), 4000)));
                update.setObject(3, Json.now());
                update.setString(4, workspace);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** The workspace is gone: forget its cleanup. */
    public void finish(String workspace) {
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM workspace_cleanups WHERE workspace = ?")) {
                delete.setString(1, workspace);
                delete.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Takes or renews the lease on an unfinished cleanup for {@code owner} until {@code until}, in one
     * atomic UPDATE: it succeeds only when nobody holds the lease, it has expired (before
     * {@code now}), or {@code owner} already holds it. Exactly one of several racing instances wins.
     *
     * @return true when {@code owner} now holds the lease
     */
    public boolean claim(String workspace, String owner, OffsetDateTime now, OffsetDateTime until) {
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE workspace_cleanups SET lease_owner = ?, lease_until = ? WHERE workspace = ? AND stage <> ? "
                            + "AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < ? OR lease_owner = ?)")) {
                update.setString(1, owner);
                update.setObject(2, until);
                update.setString(3, workspace);
                update.setString(4, CleanupStage.failed.name());
                update.setObject(5, now);
                update.setString(6, owner);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease up (after a failure), so a retry anywhere may take it at once. */
    public void release(String workspace, String owner) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE workspace_cleanups SET lease_owner = NULL, lease_until = NULL WHERE workspace = ? AND lease_owner = ?")) {
                update.setString(1, workspace);
                update.setString(2, owner);
                update.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Cleanup> find(String workspace) {
        return database.inTransaction(connection -> find(connection, workspace));
    }

    /** Cleanups a previous run left unfinished (pending or deleting). */
    public List<Cleanup> unfinished() {
        return database.inTransaction(connection -> {
            List<Cleanup> found = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT workspace, stage, attempts, last_error, requested_by, updated_at FROM workspace_cleanups WHERE stage <> ?")) {
                select.setString(1, CleanupStage.failed.name());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(read(rows));
                    }
                }
            }
            return found;
        });
    }

    private static Optional<Cleanup> find(java.sql.Connection connection, String workspace) throws java.sql.SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT workspace, stage, attempts, last_error, requested_by, updated_at FROM workspace_cleanups WHERE workspace = ?")) {
            select.setString(1, workspace);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static Cleanup read(ResultSet rows) throws java.sql.SQLException {
        return new Cleanup(rows.getString(1), CleanupStage.valueOf(rows.getString(2)), rows.getInt(3), rows.getString(4),
                rows.getString(5), rows.getObject(6, OffsetDateTime.class));
    }
}
