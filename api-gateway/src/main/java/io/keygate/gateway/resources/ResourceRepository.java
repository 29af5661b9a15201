package io.keygate.gateway.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.RowConflict;
import io.keygate.gateway.store.RowNotFound;
import io.keygate.gateway.store.StoreException;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.Page;
import io.keygate.gateway.web.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Resources per workspace in the gateway's store. Every write is one committed transaction when
 * the method returns, so the caller may answer 2xx right after.
 */
public final class ResourceRepository {

    private static final String COLUMNS =
            "id, kind, workspace, name, description, spec, status, created_at, created_by, updated_at, updated_by";

    private final Database database;
    private final ObjectMapper mapper;

    public ResourceRepository(Database database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    /** Creates a resource; 409 when the name is taken in that workspace for that kind. */
    public Resource create(ResourceKind kind, String workspace, String name, String description,
                           ObjectNode spec, String actor) {
        OffsetDateTime now = Json.now();
        String status = kind == ResourceKind.JOB ? JobStatus.created.name() : null;
        Resource resource = new Resource(idFor(kind), kind, workspace, name, description, spec.deepCopy(),
                status, now, actor, now, actor);
        try {
            return database.inTransaction(connection -> {
                insert(connection, resource);
                if (kind == ResourceKind.JOB) {
                    appendLog(connection, resource.id(), now, "job created by " + actor);
                }
                return resource;
            });
        } catch (StoreException e) {
            if (e.isUniqueViolation()) {
                throw new RowConflict(kind.label() + " '" + name + "' already exists in workspace '" + workspace + "'");
            }
            throw e;
        }
    }

    private static String idFor(ResourceKind kind) {
        return kind.label() + "-" + UUID.randomUUID();
    }

    private void insert(Connection connection, Resource r) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO resources (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, r.id());
            insert.setString(2, r.kind().storedName());
            insert.setString(3, r.workspace());
            insert.setString(4, r.name());
            insert.setString(5, r.description());
            insert.setString(6, r.spec().toString());
            insert.setString(7, r.status());
            insert.setObject(8, r.createdAt());
            insert.setString(9, r.createdBy());
            insert.setObject(10, r.updatedAt());
            insert.setString(11, r.updatedBy());
            insert.executeUpdate();
        }
    }

    public Optional<Resource> find(ResourceKind kind, String workspace, String name) {
        return database.inTransaction(connection -> find(connection, kind, workspace, name));
    }

    private Optional<Resource> find(Connection connection, ResourceKind kind, String workspace, String name)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM resources WHERE kind = ? AND workspace = ? AND name = ?")) {
            select.setString(1, kind.storedName());
            select.setString(2, workspace);
            select.setString(3, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /** A resource or 404. */
    public Resource get(ResourceKind kind, String workspace, String name) {
        return find(kind, workspace, name).orElseThrow(() -> notFound(kind, workspace, name));
    }

    static RowNotFound notFound(ResourceKind kind, String workspace, String name) {
        return new RowNotFound(kind.label() + " '" + name + "' not found in workspace '" + workspace + "'");
    }

    /** One page of a workspace's resources of one kind. */
    public Page<Resource> list(ResourceKind kind, String workspace, PageRequest request) {
        return database.inTransaction(connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM resources WHERE kind = ? AND workspace = ?")) {
                count.setString(1, kind.storedName());
                count.setString(2, workspace);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            String order = request.sortColumn() + (request.descending() ? " DESC" : " ASC") + ", name ASC";
            List<Resource> data = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM resources WHERE kind = ? AND workspace = ? ORDER BY " + order + " LIMIT ? OFFSET ?")) {
                select.setString(1, kind.storedName());
                select.setString(2, workspace);
                select.setInt(3, request.pageSize());
                select.setLong(4, request.offset());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        data.add(read(rows));
                    }
                }
            }
            return new Page<>(data, request, total);
        });
    }

    /**
     * Changes the description (when {@code description} is non-null) and merges {@code specChanges}
     * into the stored fields (a JSON null removes a field). 404 when absent.
     */
    public Resource update(ResourceKind kind, String workspace, String name, String description,
                           ObjectNode specChanges, String actor) {
        return database.inTransaction(connection -> {
            Resource current = find(connection, kind, workspace, name)
                    .orElseThrow(() -> notFound(kind, workspace, name));
            ObjectNode spec = current.spec().deepCopy();
            specChanges.properties().forEach(field -> {
                if (field.getValue().isNull()) {
                    spec.remove(field.getKey());
                } else {
                    spec.set(field.getKey(), field.getValue());
                }
            });
            Resource updated = new Resource(current.id(), kind, workspace, name,
                    description != null ? description : current.description(), spec, current.status(),
                    current.createdAt(), current.createdBy(), Json.now(), actor);
            writeUpdate(connection, updated);
            return updated;
        });
    }

    private static void writeUpdate(Connection connection, Resource r) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE resources SET description = ?, spec = ?, "
                + "status = ?, updated_at = ?, updated_by = ? WHERE id = ?")) {
            update.setString(1, r.description());
            update.setString(2, r.spec().toString());
            update.setString(3, r.status());
            update.setObject(4, r.updatedAt());
            update.setString(5, r.updatedBy());
            update.setString(6, r.id());
            update.executeUpdate();
        }
    }

    /** Deletes a resource (and a job's log); 404 when absent. Returns what was deleted. */
    public Resource delete(ResourceKind kind, String workspace, String name) {
        return database.inTransaction(connection -> {
            Resource current = find(connection, kind, workspace, name)
                    .orElseThrow(() -> notFound(kind, workspace, name));
            deleteById(connection, current.id());
            return current;
        });
    }

    /** Deletes a resource by id if it is still there (a create taken back); no error when it is gone. */
    public void discard(String id) {
        database.inTransaction(connection -> {
            deleteById(connection, id);
            return null;
        });
    }

    private static void deleteById(Connection connection, String id) throws SQLException {
        try (PreparedStatement logs = connection.prepareStatement("DELETE FROM job_logs WHERE job_id = ?");
             PreparedStatement resource = connection.prepareStatement("DELETE FROM resources WHERE id = ?")) {
            logs.setString(1, id);
            logs.executeUpdate();
            resource.setString(1, id);
            resource.executeUpdate();
        }
    }

    /** How many resources of each kind the workspace holds, kinds in declaration order, zero counts left out. */
    public Map<ResourceKind, Long> countByKind(String workspace) {
        Map<ResourceKind, Long> counts = database.inTransaction(connection -> {
            Map<ResourceKind, Long> found = new EnumMap<>(ResourceKind.class);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT kind, COUNT(*) FROM resources WHERE workspace = ? GROUP BY kind")) {
                select.setString(1, workspace);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(ResourceKind.fromStoredName(rows.getString(1)), rows.getLong(2));
                    }
                }
            }
            return found;
        });
        Map<ResourceKind, Long> ordered = new LinkedHashMap<>();
        for (ResourceKind kind : ResourceKind.values()) {
            if (counts.getOrDefault(kind, 0L) > 0) {
                ordered.put(kind, counts.get(kind));
            }
        }
        return ordered;
    }

    /** Deletes everything a workspace holds (its cleanup); returns how many resources went. */
    public int deleteWorkspaceContents(String workspace) {
        return database.inTransaction(connection -> {
            try (PreparedStatement logs = connection.prepareStatement(
                    "DELETE FROM job_logs WHERE job_id IN (SELECT id FROM resources WHERE workspace = ?)");
                 PreparedStatement resources = connection.prepareStatement("DELETE FROM resources WHERE workspace = ?")) {
                logs.setString(1, workspace);
                logs.executeUpdate();
                resources.setString(1, workspace);
                return resources.executeUpdate();
            }
        });
    }

    /**
     * Deletes up to {@code limit} resources of {@code workspace} (and their job logs) in one
     * transaction; returns how many, 0 when none is left. For cleanups that run in batches.
     */
    public int deleteWorkspaceBatch(String workspace, int limit) {
        return database.inTransaction(connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM resources WHERE workspace = ? ORDER BY id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")) {
                select.setString(1, workspace);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement logs = connection.prepareStatement("DELETE FROM job_logs WHERE job_id = ?");
                 PreparedStatement resource = connection.prepareStatement("DELETE FROM resources WHERE id = ?")) {
                int deleted = 0;
                for (String id : ids) {
                    logs.setString(1, id);
                    logs.executeUpdate();
                    resource.setString(1, id);
                    deleted += resource.executeUpdate();
                }
                return deleted;
            }
        });
    }

    /** Cancels a job that has not finished; 409 when it already has. */
    public Resource cancelJob(String workspace, String name, String actor) {
        return database.inTransaction(connection -> {
            Resource job = find(connection, ResourceKind.JOB, workspace, name)
                    .orElseThrow(() -> notFound(ResourceKind.JOB, workspace, name));
            JobStatus status = JobStatus.valueOf(job.status());
            if (status.isTerminal()) {
                throw new RowConflict("job '" + name + "' is already " + status + " and cannot be cancelled");
            }
            OffsetDateTime now = Json.now();
            Resource cancelled = new Resource(job.id(), job.kind(), workspace, name, job.description(), job.spec(),
                    JobStatus.cancelled.name(), job.createdAt(), job.createdBy(), now, actor);
            writeUpdate(connection, cancelled);
            appendLog(connection, job.id(), now, "job cancelled by " + actor);
            return cancelled;
        });
    }

    /** One page of a job's log lines, oldest first. */
    public Page<JobLogEntry> logs(String workspace, String name, PageRequest request) {
        return database.inTransaction(connection -> {
            Resource job = find(connection, ResourceKind.JOB, workspace, name)
                    .orElseThrow(() -> notFound(ResourceKind.JOB, workspace, name));
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM job_logs WHERE job_id = ?")) {
                count.setString(1, job.id());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<JobLogEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seq, logged_at, message FROM job_logs WHERE job_id = ? ORDER BY seq LIMIT ? OFFSET ?")) {
                select.setString(1, job.id());
                select.setInt(2, request.pageSize());
                select.setLong(3, request.offset());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new JobLogEntry(rows.getInt(1), rows.getObject(2, OffsetDateTime.class), rows.getString(3)));
                    }
                }
            }
            return new Page<>(entries, request, total);
        });
    }

    private static void appendLog(Connection connection, String jobId, OffsetDateTime at, String message)
            throws SQLException {
        int next;
        try (PreparedStatement max = connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM job_logs WHERE job_id = ?")) {
            max.setString(1, jobId);
            try (ResultSet rows = max.executeQuery()) {
                rows.next();
                next = rows.getInt(1) + 1;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job_logs (job_id, seq, logged_at, message) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, jobId);
            insert.setInt(2, next);
            insert.setObject(3, at);
            insert.setString(4, message);
            insert.executeUpdate();
        }
    }

    private Resource read(ResultSet rows) throws SQLException {
        return new Resource(rows.getString(1), ResourceKind.fromStoredName(rows.getString(2)), rows.getString(3),
                rows.getString(4), rows.getString(5), parseSpec(rows.getString(6)), rows.getString(7),
                rows.getObject(8, OffsetDateTime.class), rows.getString(9),
                rows.getObject(10, OffsetDateTime.class), rows.getString(11));
    }

    private ObjectNode parseSpec(String spec) {
        try {
            return (ObjectNode) mapper.readTree(spec);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored resource fields are not valid JSON", e);
        }
    }
}
