package io.keygate.gateway.freshness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import io.keygate.gateway.freshness.Change.WorkspaceChange;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feeds' durable memory in the gateway's store (schema v5): per (instance, issuer) the stream,
 * the last applied {@code keygate_seq} and the unverified horizon; per issuer the newest change per
 * key (shared by every instance on the store: each applies every event, and writing the same
 * newest change twice is harmless); per stream the SET ids seen.
 *
 * <p>Durability contract: {@link #record} writes a batch of applied changes, their ids and the new
 * position in one transaction, before the batch is acknowledged to the transmitter; so a change
 * the transmitter considers delivered is in the store, and a gateway restarted later loads it.
 */
final class FreshnessStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** Where one instance's stream at one issuer stands. */
    record Position(String streamId, String audience, long lastSeq, long unverifiedBefore) {
    }

    private final Database database;

    FreshnessStore(Database database) {
        this.database = database;
    }

    Optional<Position> position(String instance, String issuer) {
        return database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT stream_id, audience, last_seq, unverified_before "
                    + "FROM freshness_streams WHERE instance_id = ? AND issuer = ?")) {
                s.setString(1, instance);
                s.setString(2, issuer);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Position(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4)))
                            : Optional.<Position>empty();
                }
            }
        });
    }

    /** Saves a new position (a new stream, or a moved horizon) on its own. */
    void save(String instance, String issuer, Position position) {
        retrying(c -> {
            savePosition(c, instance, issuer, position);
            return null;
        });
    }

    /** Applied changes, their SET ids and the new position, in one transaction. */
    void record(String instance, String issuer, Position position, List<VerifiedSet> applied) {
        retrying(c -> {
            for (VerifiedSet set : applied) {
                upsertChange(c, issuer, set.change());
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO freshness_seen_sets (stream_id, jti, issued_at) VALUES (?, ?, ?)")) {
                    s.setString(1, position.streamId());
                    s.setString(2, set.jti());
                    s.setLong(3, set.issuedAtMillis());
                    s.executeUpdate();
                }
            }
            savePosition(c, instance, issuer, position);
            return null;
        });
    }

    /** Every change of {@code issuer} at or after {@code sinceMillis}. */
    List<Change> changes(String issuer, long sinceMillis) {
        return database.inTransaction(c -> {
            List<Change> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT kind, change_key, event_millis, content FROM freshness_changes "
                    + "WHERE issuer = ? AND event_millis >= ? ORDER BY event_millis")) {
                s.setString(1, issuer);
                s.setLong(2, sinceMillis);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(change(r.getString(1), r.getString(2), r.getLong(3), parse(r.getString(4))));
                    }
                }
            }
            return out;
        });
    }

    /** SET ids of {@code streamId} issued at or after {@code sinceMillis}, with their iat. */
    Map<String, Long> seen(String streamId, long sinceMillis) {
        return database.inTransaction(c -> {
            Map<String, Long> out = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT jti, issued_at FROM freshness_seen_sets WHERE stream_id = ? AND issued_at >= ?")) {
                s.setString(1, streamId);
                s.setLong(2, sinceMillis);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** Deletes changes older than {@code changeCutoff} and SET ids older than {@code seenCutoff}. */
    void forget(String issuer, long changeCutoff, long seenCutoff) {
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM freshness_changes WHERE issuer = ? AND event_millis < ?")) {
                s.setString(1, issuer);
                s.setLong(2, changeCutoff);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM freshness_seen_sets WHERE issued_at < ?")) {
                s.setLong(1, seenCutoff);
                s.executeUpdate();
            }
            return null;
        });
    }

    private static void savePosition(Connection c, String instance, String issuer, Position p) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE freshness_streams SET stream_id = ?, audience = ?, last_seq = ?, "
                + "unverified_before = ?, updated_at = ? WHERE instance_id = ? AND issuer = ?")) {
            update.setString(1, p.streamId());
            update.setString(2, p.audience());
            update.setLong(3, p.lastSeq());
            update.setLong(4, p.unverifiedBefore());
            update.setLong(5, System.currentTimeMillis());
            update.setString(6, instance);
            update.setString(7, issuer);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO freshness_streams (instance_id, issuer, stream_id, audience, "
                + "last_seq, unverified_before, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, instance);
            insert.setString(2, issuer);
            insert.setString(3, p.streamId());
            insert.setString(4, p.audience());
            insert.setLong(5, p.lastSeq());
            insert.setLong(6, p.unverifiedBefore());
            insert.setLong(7, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    /** Keeps the newer of the stored and the given change (another instance may have written it first). */
    private static void upsertChange(Connection c, String issuer, Change change) throws SQLException {
        String kind = kind(change);
        String key = key(change);
        String content = content(change);
        try (PreparedStatement update = c.prepareStatement("UPDATE freshness_changes SET event_millis = ?, content = ? "
                + "WHERE issuer = ? AND kind = ? AND change_key = ? AND event_millis <= ?")) {
            update.setLong(1, change.eventMillis());
            update.setString(2, content);
            update.setString(3, issuer);
            update.setString(4, kind);
            update.setString(5, key);
            update.setLong(6, change.eventMillis());
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO freshness_changes (issuer, kind, change_key, event_millis, content) "
                + "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM freshness_changes WHERE issuer = ? AND kind = ? AND change_key = ?)")) {
            insert.setString(1, issuer);
            insert.setString(2, kind);
            insert.setString(3, key);
            insert.setLong(4, change.eventMillis());
            insert.setString(5, content);
            insert.setString(6, issuer);
            insert.setString(7, kind);
            insert.setString(8, key);
            insert.executeUpdate();
        }
    }

    /** Runs {@code work}; once more if it collided with another instance writing the same keys. */
    private void retrying(Database.Work<Void> work) {
        try {
            database.inTransaction(work);
        } catch (StoreException collided) {
            database.inTransaction(work);
        }
    }

    private static String kind(Change change) {
        if (change instanceof ClaimsChange) {
            return "claims";
        }
        if (change instanceof SessionRevoked r) {
            return r.sessionId() == null ? "revoked" : "session";
        }
        return "workspace";
    }

    private static String key(Change change) {
        if (change instanceof ClaimsChange c) {
            return c.subject();
        }
        if (change instanceof SessionRevoked r) {
            return r.sessionId() == null ? r.subject() : r.sessionId();
        }
        return ((WorkspaceChange) change).workspace();
    }

    private static String content(Change change) {
        Map<String, Object> body = new HashMap<>();
        if (change instanceof ClaimsChange c) {
            body.putAll(c.claims());
        } else if (change instanceof SessionRevoked r) {
            body.put("sub", r.subject());
            body.put("reason", r.reason());
        } else if (change instanceof WorkspaceChange w) {
            body.put("wildcard_role", w.wildcardRole());
            body.put("deleted", w.deleted());
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write change", e);
        }
    }

    private static Change change(String kind, String key, long at, Map<String, Object> body) {
        return switch (kind) {
            case "claims" -> new ClaimsChange(key, at, body);
            case "revoked" -> new SessionRevoked(key, null, at, String.valueOf(body.get("reason")));
            case "session" -> new SessionRevoked(String.valueOf(body.get("sub")), key, at, String.valueOf(body.get("reason")));
            default -> new WorkspaceChange(key, at, (String) body.get("wildcard_role"), Boolean.TRUE.equals(body.get("deleted")));
        };
    }

    private static Map<String, Object> parse(String json) throws SQLException {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored change is not JSON", e);
        }
    }
}
