package io.keygate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.gateway.resources.Resource;
import io.keygate.gateway.resources.ResourceKind;
import io.keygate.gateway.resources.ResourceRepository;
import io.keygate.gateway.orgs.Allocation;
import io.keygate.gateway.orgs.AllocationRepository;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.Page;
import io.keygate.gateway.web.PageRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The storage behaviour every supported database must show; run on H2 and on a real PostgreSQL. */
abstract class ResourceStoreContract {

    private final ObjectMapper mapper = new ObjectMapper();

    /** A migrated database; each test uses its own workspace names, so sharing one is fine. */
    abstract Database database();

    private ResourceRepository repository() {
        return new ResourceRepository(database(), mapper);
    }

    private static String workspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ObjectNode spec(String json) throws Exception {
        return (ObjectNode) mapper.readTree(json);
    }

    @Test
    void migrationsAreRecordedAndNotReapplied() {
        Migrations migrations = new Migrations(database());
        assertEquals(List.of(), migrations.migrate());
        assertEquals(6, migrations.currentVersion());
    }

    @Test
    void allocationsOfAnOrganizationAreStoredUniqueAndRemovable() {
        AllocationRepository allocations = new AllocationRepository(database());
        String org = workspace();
        Allocation created = allocations.create(org, "gpu-pool", "8 GPUs", "provider@example.com", Json.now());

        assertEquals(created, allocations.get(org, created.id()));
        assertThrows(RowConflict.class, () -> allocations.create(org, "gpu-pool", null, "provider@example.com", Json.now()));
        assertEquals(List.of(), allocations.list("other-" + org));
        assertEquals("16 GPUs", allocations.updateDescription(org, created.id(), "16 GPUs", "p@example.com", Json.now()).description());
        allocations.delete(org, created.id());
        assertThrows(RowNotFound.class, () -> allocations.get(org, created.id()));
    }

    /**
     * Every description {@code Descriptions.RESOURCE} lets through fits the column on this
     * database and reads back unchanged: the rule counts UTF-16 code units, so 2,000 emoji (4,000
     * units) is the most it allows, and both H2 (units) and PostgreSQL (code points) keep that.
     */
    @Test
    void theLongestDescriptionsTheRuleAllowsAreStoredUnchanged() throws Exception {
        String workspace = workspace();
        String emoji = "\uD83D\uDE00";
        int index = 0;
        for (String description : List.of("a".repeat(4000), "é".repeat(4000), emoji.repeat(2000), "x" + emoji.repeat(1999) + "é")) {
            assertEquals(java.util.Optional.empty(), io.keygate.core.Descriptions.RESOURCE.violation(description));
            String name = "long-" + index++;
            repository().create(ResourceKind.PROJECT, workspace, name, "short", spec("{}"), "alice");
            assertEquals(description, repository().update(ResourceKind.PROJECT, workspace, name, description, spec("{}"), "alice").description());
            assertEquals(description, repository().get(ResourceKind.PROJECT, workspace, name).description());
        }
        AllocationRepository allocations = new AllocationRepository(database());
        Allocation allocation = allocations.create(workspace, "long-allocation", "é".repeat(4000), "provider@example.com", Json.now());
        assertEquals("é".repeat(4000), allocations.get(workspace, allocation.id()).description());
    }

    @Test
    void createThenReadBackEveryField() throws Exception {
        String ws = workspace();
        Resource created = repository().create(ResourceKind.MODEL, ws, "llama-3.2-3b", "a model",
                spec("{\"base_model\": \"meta/llama\", \"params\": {\"size\": 3}}"), "alice@example.com");
        Resource read = repository().get(ResourceKind.MODEL, ws, "llama-3.2-3b");
        assertEquals(created, read);
        assertEquals("meta/llama", read.spec().get("base_model").asText());
        assertEquals(3, read.spec().get("params").get("size").asInt());
    }

    @Test
    void duplicateNameInSameWorkspaceAndKindIsAConflictButOtherKindsAndWorkspacesAreFree() throws Exception {
        String ws = workspace();
        repository().create(ResourceKind.PROJECT, ws, "p1", null, spec("{}"), "a");
        RowConflict conflict = assertThrows(RowConflict.class,
                () -> repository().create(ResourceKind.PROJECT, ws, "p1", null, spec("{}"), "a"));
        assertTrue(conflict.getMessage().contains("already exists"), conflict.getMessage());
        repository().create(ResourceKind.MODEL, ws, "p1", null, spec("{}"), "a");
        repository().create(ResourceKind.PROJECT, workspace(), "p1", null, spec("{}"), "a");
    }

    @Test
    void listIsPaginatedAndSorted() throws Exception {
        String ws = workspace();
        for (int i = 1; i <= 5; i++) {
            repository().create(ResourceKind.FILESET, ws, "set-" + i, null, spec("{}"), "a");
        }
        Page<Resource> first = repository().list(ResourceKind.FILESET, ws, new PageRequest(1, 2, "created_at"));
        assertEquals(5, first.totalResults());
        assertEquals(3, first.totalPages());
        assertEquals(List.of("set-1", "set-2"), names(first));
        Page<Resource> last = repository().list(ResourceKind.FILESET, ws, new PageRequest(3, 2, "created_at"));
        assertEquals(List.of("set-5"), names(last));
        Page<Resource> newest = repository().list(ResourceKind.FILESET, ws, new PageRequest(1, 2, "-created_at"));
        assertEquals(List.of("set-5", "set-4"), names(newest));
        assertEquals(0, repository().list(ResourceKind.MODEL, ws, new PageRequest(1, 2, "created_at")).totalResults());
    }

    private static List<String> names(Page<Resource> page) {
        return page.data().stream().map(Resource::name).toList();
    }

    @Test
    void updateMergesFieldsAndKeepsCreation() throws Exception {
        String ws = workspace();
        Resource created = repository().create(ResourceKind.DEPLOYMENT, ws, "dep", "old",
                spec("{\"replicas\": 1, \"gpu\": \"a100\"}"), "alice");
        Resource updated = repository().update(ResourceKind.DEPLOYMENT, ws, "dep", "new",
                spec("{\"replicas\": 2, \"gpu\": null}"), "bob");
        assertEquals("new", updated.description());
        assertEquals(2, updated.spec().get("replicas").asInt());
        assertFalse(updated.spec().has("gpu"));
        assertEquals(created.createdAt(), updated.createdAt());
        assertEquals("alice", updated.createdBy());
        assertEquals("bob", updated.updatedBy());
        assertEquals(updated, repository().get(ResourceKind.DEPLOYMENT, ws, "dep"));
    }

    @Test
    void deleteRemovesAndSecondDeleteIsNotFound() throws Exception {
        String ws = workspace();
        repository().create(ResourceKind.PROJECT, ws, "gone", null, spec("{}"), "a");
        repository().delete(ResourceKind.PROJECT, ws, "gone");
        assertTrue(repository().find(ResourceKind.PROJECT, ws, "gone").isEmpty());
        assertThrows(RowNotFound.class, () -> repository().delete(ResourceKind.PROJECT, ws, "gone"));
    }

    @Test
    void countsByKindInStableOrderAndWorkspaceCleanup() throws Exception {
        String ws = workspace();
        for (int i = 0; i < 5; i++) {
            repository().create(ResourceKind.FILESET, ws, "data-" + i, null, spec("{}"), "a");
        }
        for (int i = 0; i < 3; i++) {
            repository().create(ResourceKind.PROJECT, ws, "proj-" + i, null, spec("{}"), "a");
        }
        repository().create(ResourceKind.JOB, ws, "job-1", null, spec("{}"), "a");
        Map<ResourceKind, Long> expected = new LinkedHashMap<>();
        expected.put(ResourceKind.PROJECT, 3L);
        expected.put(ResourceKind.FILESET, 5L);
        expected.put(ResourceKind.JOB, 1L);
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(repository().countByKind(ws).entrySet()));
        assertEquals(9, repository().deleteWorkspaceContents(ws));
        assertTrue(repository().countByKind(ws).isEmpty());
    }

    @Test
    void jobsAreCancelledOnceAndKeepALog() throws Exception {
        String ws = workspace();
        Resource job = repository().create(ResourceKind.JOB, ws, "train", null, spec("{\"spec\": {\"epochs\": 1}}"), "a");
        assertEquals("created", job.status());
        Resource cancelled = repository().cancelJob(ws, "train", "b");
        assertEquals("cancelled", cancelled.status());
        assertThrows(RowConflict.class, () -> repository().cancelJob(ws, "train", "b"));
        var logs = repository().logs(ws, "train", new PageRequest(1, 100, "created_at"));
        assertEquals(2, logs.totalResults());
        assertEquals("job created by a", logs.data().get(0).message());
        assertEquals("job cancelled by b", logs.data().get(1).message());
    }

    @Test
    void auditEntriesAreStoredAndReadNewestFirst() {
        io.keygate.gateway.audit.JdbcAuditSink sink = new io.keygate.gateway.audit.JdbcAuditSink(database());
        String marker = "/apis/entities/v2/workspaces/" + workspace();
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        sink.record(new io.keygate.gateway.audit.AuditEntry(now, "alice@example.com", "keygate", "POST", marker,
                "ml-team", 201, "127.0.0.1", 12, "ok"));
        sink.record(new io.keygate.gateway.audit.AuditEntry(now, null, null, "DELETE", marker, null, 401,
                "127.0.0.1", 1, "unauthenticated"));
        var recent = sink.recent(2);
        assertEquals("DELETE", recent.get(0).method());
        assertEquals("unauthenticated", recent.get(0).outcome());
        assertEquals(new io.keygate.gateway.audit.AuditEntry(now, "alice@example.com", "keygate", "POST", marker,
                "ml-team", 201, "127.0.0.1", 12, "ok"), recent.get(1));
    }

    @Test
    void failedTransactionLeavesNothingBehind() {
        String ws = workspace();
        assertThrows(IllegalStateException.class, () -> database().inTransaction(connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO workspace_cleanups "
                    + "(workspace, stage, attempts, requested_by, updated_at) VALUES (?, 'pending', 0, 'a', CURRENT_TIMESTAMP)")) {
                insert.setString(1, ws);
                insert.executeUpdate();
            }
            throw new IllegalStateException("boom after the insert");
        }));
        int rows = database().inTransaction(connection -> {
            try (var count = connection.prepareStatement("SELECT COUNT(*) FROM workspace_cleanups WHERE workspace = ?")) {
                count.setString(1, ws);
                try (var result = count.executeQuery()) {
                    result.next();
                    return result.getInt(1);
                }
            }
        });
        assertEquals(0, rows);
    }
}
