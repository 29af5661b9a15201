package io.keygate.it.cluster;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keygate.it.api.GatewayProcess;
import io.keygate.it.api.GatewayUnderTest;
import io.keygate.it.support.ClusterStack;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 11, Keycloak half: two Keycloak 26.7.3 nodes in production mode, clustered through
 * Infinispan with JDBC_PING on one real PostgreSQL ({@link ClusterStack}), started once for all
 * tests here. Every invariant of the extension holds across the nodes: one issuer, changes seen
 * at once on the other node, the last Admin, unique names, no acknowledged write lost when a node
 * is killed, and a removal on one node enforced by a gateway fed by the other within 1 s. The
 * node kill runs last, as it leaves one node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String EVENTS = "    clockSkew: 2s\n    events:\n      enabled: true\n      maxBackoff: 1s\n";
    private static final String WORKSPACES = "/apis/entities/v2/workspaces";
    private static final int ADMINS = 20;
    private static final int ROUNDS = 20;
    private static final int WRITES = 500;
    private static final String PLATFORM_ADMIN = "admin@example.com";
    private static final int CLEANUP_RESOURCES = 80;
    private static final int CLEANUP_BATCH = 5;
    private static final int CLEANUP_PAUSE_MILLIS = 250;
    private static final int CLEANUP_LEASE_SECONDS = 4;

    ClusterStack cluster;
    KeycloakServer a;
    KeycloakServer b;
    final Http http = new Http();
    ExecutorService pool;

    @BeforeAll
    void start() {
        cluster = ClusterStack.startFromBuild();
        a = cluster.nodeA();
        b = cluster.nodeB();
        pool = Executors.newFixedThreadPool(ADMINS);
    }

    @AfterAll
    void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void bothNodesAreOneClusterThroughTheSharedDatabase() {
        int viewA = ClusterStack.lastViewSize(a);
        int viewB = ClusterStack.lastViewSize(b);
        System.out.printf("[keygate-it] cluster: last Infinispan view on node A has %d members, on node B %d%n", viewA, viewB);
        assertEquals(2, viewA, "node A's log: " + a.log());
        assertEquals(2, viewB, "node B's log: " + b.log());
    }

    @Test
    @Order(2)
    void tokenOfNodeAIsAcceptedByAGatewayOfNodeBAndChangesOnASeenOnBAtOnce() throws ParseException {
        cluster.frontend().routeTo(b.baseUrl());
        try (GatewayUnderTest gateway = gatewayOf(b)) {
            String owner = a.newUser("cl-owner");
            String ownerToken = a.userToken(owner);
            assertEquals(b.issuer(), claims(ownerToken).getIssuer(), "one issuer for both nodes");
            String workspace = KeycloakServer.unique("cl-one");
            expect(201, http.post(a.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
            // A token node A mints now carries the new workspace in its claims (test 3 covers older tokens, through events).
            expect(200, gateway.get(WORKSPACES + "/" + workspace, a.userToken(owner)));

            String member = a.newUser("cl-member");
            expect(201, http.post(a.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                    Map.of("principal", member, "roles", List.of("Editor"))));
            JsonNode onB = expect(200, http.get(b.keygateApi() + "/workspaces/" + workspace + "/members?page_size=1000", b.userToken(owner))).json();
            assertEquals(List.of("Editor"), rolesOf(onB, member), "node B lists node A's grant at once: " + onB);
            String memberTokenOfB = b.userToken(member);
            Object claim = claims(memberTokenOfB).getJSONObjectClaim("workspaces").get(workspace);
            System.out.printf("[keygate-it] cluster: grant on node A read back on node B: members %s, B's token claims %s=%s%n",
                    rolesOf(onB, member), workspace, claim);
            assertEquals("Editor", claim, "node B's token carries node A's grant");
            expect(200, gateway.get(projects(workspace), memberTokenOfB));
        } finally {
            cluster.frontend().routeTo(a.baseUrl());
        }
    }

    @Test
    @Order(3)
    void removalOnNodeAIsEnforcedWithinOneSecondByAGatewayFedByNodeB() {
        cluster.frontend().routeTo(b.baseUrl());
        try (GatewayUnderTest gateway = gatewayOf(b)) {
            assertEquals("live", gateway.freshness.states().get("keygate"), gateway.freshness.states().toString());
            String owner = a.newUser("cl-fresh-owner");
            String ownerToken = a.userToken(owner);
            String workspace = KeycloakServer.unique("cl-fresh");
            expect(201, http.post(a.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
            String member = a.newUser("cl-fresh-member");
            expect(201, http.post(a.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                    Map.of("principal", member, "roles", List.of("Viewer"))));
            String memberToken = a.userToken(member);
            for (int i = 0; i < 50; i++) {
                expect(200, gateway.get(projects(workspace), memberToken));
            }
            Http.Response removed = http.delete(a.keygateApi() + "/workspaces/" + workspace + "/members/" + member, ownerToken);
            long acknowledged = System.nanoTime();
            expect(204, removed);
            long refusedAfter = -1;
            while (System.nanoTime() - acknowledged < 5_000_000_000L) {
                if (gateway.get(projects(workspace), memberToken).status() == 403) {
                    refusedAfter = (System.nanoTime() - acknowledged) / 1_000_000;
                    break;
                }
            }
            System.out.printf("[keygate-it] cluster: removal through node A refused by the gateway fed by node B after %d ms%n", refusedAfter);
            assertTrue(refusedAfter >= 0 && refusedAfter < 1000, "within 1 s: " + refusedAfter + " ms");
        } finally {
            cluster.frontend().routeTo(a.baseUrl());
        }
    }

    @Test
    @Order(4)
    void concurrentRemovalsAndDemotionsSplitOverBothNodesAlwaysLeaveAnAdmin() throws Exception {
        List<String> admins = newUsers("cl-admin", ADMINS);
        String platformA = a.userToken(PLATFORM_ADMIN);
        String platformB = b.userToken(PLATFORM_ADMIN);
        int leftMin = Integer.MAX_VALUE;
        List<String> otherConflicts = Collections.synchronizedList(new ArrayList<>());
        long totalMillis = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            long roundStarted = System.nanoTime();
            String workspace = KeycloakServer.unique("cl-last-admin");
            String ownerToken = a.userToken(admins.get(0));
            expect(201, http.post(a.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
            addAll(workspace, ownerToken, admins.subList(1, ADMINS), "Admin");
            assertEquals(ADMINS, adminsOf(a, workspace, platformA).size());

            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < ADMINS; i++) {
                String admin = admins.get(i);
                KeycloakServer node = i % 2 == 0 ? a : b;
                String token = node == a ? platformA : platformB;
                boolean demote = i % 4 < 2;
                results.add(pool.submit(() -> {
                    go.await();
                    String path = node.keygateApi() + "/workspaces/" + workspace + "/members/" + admin;
                    Http.Response response = demote ? http.put(path, token, Map.of("roles", List.of("Editor"))) : http.delete(path, token);
                    if (response.status() == 409) {
                        String detail = response.json().path("detail").asText();
                        assertFalse(detail.isBlank(), response.toString());
                        if (!detail.contains("last Admin")) {
                            otherConflicts.add(detail);
                        }
                    }
                    return response.status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            List<String> leftOnA = adminsOf(a, workspace, platformA);
            List<String> leftOnB = adminsOf(b, workspace, platformB);
            long changed = statuses.stream().filter(status -> status == 200 || status == 204).count();
            long refused = statuses.stream().filter(status -> status == 409).count();
            long roundMillis = (System.nanoTime() - roundStarted) / 1_000_000;
            totalMillis += roundMillis;
            System.out.printf("[keygate-it] cluster last-admin round %d: %d changed, %d refused (409), admins left %d (A) / %d (B), %d ms%n",
                    round, changed, refused, leftOnA.size(), leftOnB.size(), roundMillis);
            assertEquals(ADMINS, changed + refused, "each request changed or got 409: " + statuses);
            assertTrue(leftOnA.size() >= 1, "an Admin is left: " + statuses);
            assertEquals(ADMINS - changed, leftOnA.size(), "each change removed exactly one Admin");
            assertEquals(Set.copyOf(leftOnA), Set.copyOf(leftOnB), "both nodes read the same Admins");
            assertEquals(List.of(), otherConflicts, "every refusal names the last Admin: " + statuses);
            leftMin = Math.min(leftMin, leftOnA.size());
        }
        System.out.printf("[keygate-it] cluster last-admin: %d rounds of %d concurrent changes over 2 nodes, fewest Admins left %d, "
                + "409s not naming the last Admin: %s, %d ms per round on average%n", ROUNDS, ADMINS, leftMin, otherConflicts, totalMillis / ROUNDS);
    }

    @Test
    @Order(5)
    void theSameNameCreatedOnBothNodesAtOnceGivesOneWorkspace() throws Exception {
        String tokenA = a.userToken(a.newUser("cl-name-a"));
        String tokenB = b.userToken(b.newUser("cl-name-b"));
        String admin = a.adminToken();
        for (int round = 1; round <= 10; round++) {
            String name = KeycloakServer.unique("cl-same");
            CountDownLatch go = new CountDownLatch(1);
            Future<Http.Response> onA = pool.submit(() -> {
                go.await();
                return http.post(a.keygateApi() + "/workspaces", tokenA, Map.of("name", name));
            });
            Future<Http.Response> onB = pool.submit(() -> {
                go.await();
                return http.post(b.keygateApi() + "/workspaces", tokenB, Map.of("name", name));
            });
            go.countDown();
            Http.Response first = onA.get();
            Http.Response second = onB.get();
            List<Integer> statuses = new ArrayList<>(List.of(first.status(), second.status()));
            Collections.sort(statuses);
            JsonNode groups = expect(200, http.get(a.adminApi() + "/groups/" + workspacesGroupId(admin)
                    + "/children?exact=true&search=" + name + "&max=10", admin)).json();
            System.out.printf("[keygate-it] cluster same name round %d: A %d, B %d, groups named %s: %d%n",
                    round, first.status(), second.status(), name, groups.size());
            assertEquals(List.of(201, 409), statuses, "one created, one conflict: " + first + " / " + second);
            Http.Response conflict = first.status() == 409 ? first : second;
            String detail = conflict.json().path("detail").asText();
            assertTrue(detail.contains("already exists") || detail.startsWith("Conflicting change"), conflict.toString());
            assertEquals(1, groups.size(), "one group: " + groups);
        }
    }

    @Test
    @Order(6)
    void twoGatewaysStartingAtOnceOnAnEmptyDatabaseMigrateItOnceAndBothServe() throws Exception {
        String database = KeycloakServer.unique("gw_migrate").replace('-', '_');
        String store = cluster.createDatabase(database, "keygate-it");
        Path dir = Files.createTempDirectory("keygate-cluster-migrate");
        long started = System.nanoTime();
        try (GatewayProcess first = GatewayProcess.launch(a, store, KeycloakServer.unique("gw-m1"), "", "", dir);
             GatewayProcess second = GatewayProcess.launch(a, store, KeycloakServer.unique("gw-m2"), "", "", dir)) {
            first.awaitReady();
            second.awaitReady();
            long readyMillis = (System.nanoTime() - started) / 1_000_000;
            Map<String, Integer> versions = new java.util.TreeMap<>();
            int failed;
            try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl(database, "keygate-it"));
                 Statement query = connection.createStatement()) {
                try (ResultSet rows = query.executeQuery("SELECT version, count(*) FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version")) {
                    while (rows.next()) {
                        versions.put(rows.getString(1), rows.getInt(2));
                    }
                }
                try (ResultSet rows = query.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE NOT success")) {
                    rows.next();
                    failed = rows.getInt(1);
                }
            }
            String token = a.userToken(a.newUser("cl-migrate"));
            int firstServes = first.get(WORKSPACES, token).status();
            int secondServes = second.get(WORKSPACES, token).status();
            System.out.printf("[keygate-it] cluster: two gateway processes started at once on an empty PostgreSQL database, both ready after %d ms; "
                    + "flyway_schema_history (version=rows) %s, failed %d; workspace list on each: %d / %d%n",
                    readyMillis, versions, failed, firstServes, secondServes);
            assertEquals(List.of("001", "002", "003", "004", "005", "006"), List.copyOf(versions.keySet()), "every migration applied: " + versions);
            assertTrue(versions.values().stream().allMatch(count -> count == 1), "each version applied exactly once: " + versions);
            assertEquals(0, failed, "no failed migration");
            assertEquals(200, firstServes, first.logTail());
            assertEquals(200, secondServes, second.logTail());
        }
    }

    @Test
    @Order(7)
    void aCascadeCleanupRunsOnceAndIsTakenOverWhenItsGatewayIsKilledMidWay() throws Exception {
        String database = KeycloakServer.unique("gw_cleanup").replace('-', '_');
        Path dir = Files.createTempDirectory("keygate-cluster-cleanup");
        String cleanup = "cleanup:\n  leaseDuration: " + CLEANUP_LEASE_SECONDS + "s\n  testOnlyBatchSize: " + CLEANUP_BATCH
                + "\n  testOnlyBatchPause: " + CLEANUP_PAUSE_MILLIS + "ms";
        cluster.createDatabase(database, "keygate-it");
        GatewayProcess one = GatewayProcess.launch(a, cluster.jdbcUrl(database, "gw-one"), KeycloakServer.unique("gw-one"), cleanup, "", dir);
        GatewayProcess two = GatewayProcess.launch(a, cluster.jdbcUrl(database, "gw-two"), KeycloakServer.unique("gw-two"), cleanup, "", dir);
        try (one; two; Connection store = DriverManager.getConnection(cluster.jdbcUrl(database, "keygate-it"))) {
            one.awaitReady();
            two.awaitReady();
            countDeletions(store);
            String owner = a.newUser("cl-cleanup-owner");
            String workspace = KeycloakServer.unique("cl-cleanup");
            expect(201, http.post(a.keygateApi() + "/workspaces", a.userToken(owner), Map.of("name", workspace)));
            String token = a.userToken(owner); // these gateways receive no events: the claims name the new workspace
            for (int i = 0; i < CLEANUP_RESOURCES; i++) {
                GatewayProcess via = i % 2 == 0 ? one : two;
                expect(201, via.post(projects(workspace), token, Map.of("name", String.format("p-%03d", i))));
            }
            expect(202, one.delete(WORKSPACES + "/" + workspace + "?cascade=true", token));
            long requested = System.nanoTime();

            String holder = awaitLeaseOwner(store, workspace);
            GatewayProcess running = holder.contains(":" + one.pid() + ":") ? one : two;
            GatewayProcess other = running == one ? two : one;
            String runningName = running == one ? "gw-one" : "gw-two";
            String otherName = running == one ? "gw-two" : "gw-one";
            awaitDeletedBy(store, runningName, 3 * CLEANUP_BATCH);
            OffsetDateTime leaseUntil = leaseUntil(store, workspace);
            running.kill();
            long killed = System.nanoTime();
            Instant killedAt = Instant.now();
            Map<String, Integer> beforeTakeover = deletionsBy(store);

            awaitGone(store, workspace);
            long gone = System.nanoTime();
            Map<String, Integer> byGateway = deletionsBy(store);
            int rows;
            int distinct;
            OffsetDateTime firstByOther;
            try (Statement query = store.createStatement();
                 ResultSet counted = query.executeQuery("SELECT count(*), count(DISTINCT resource_id) FROM it_cleanup_work")) {
                counted.next();
                rows = counted.getInt(1);
                distinct = counted.getInt(2);
            }
            try (PreparedStatement query = store.prepareStatement("SELECT min(deleted_at) FROM it_cleanup_work WHERE deleted_by = ?")) {
                query.setString(1, otherName);
                try (ResultSet first = query.executeQuery()) {
                    first.next();
                    firstByOther = first.getObject(1, OffsetDateTime.class);
                }
            }
            int left = count(store, "SELECT count(*) FROM resources WHERE workspace = ?", workspace);
            int cleanupRows = count(store, "SELECT count(*) FROM workspace_cleanups WHERE workspace = ?", workspace);
            int inKeycloak = http.get(a.keygateApi() + "/workspaces/" + workspace, a.userToken(PLATFORM_ADMIN)).status();
            System.out.printf("[keygate-it] cluster cleanup: %d resources over 2 gateway processes, lease %d s, batches of %d with %d ms pauses; "
                            + "%s held the lease, kill -9 after %d ms with %s deleted; taken over by %s %d ms after the kill "
                            + "(lease expired %d ms after the kill); gone %d ms after the request; deletions per gateway %s, "
                            + "%d deletions of %d distinct resources, %d left, cleanup rows %d, workspace in Keycloak %d%n",
                    CLEANUP_RESOURCES, CLEANUP_LEASE_SECONDS, CLEANUP_BATCH, CLEANUP_PAUSE_MILLIS, runningName,
                    (killed - requested) / 1_000_000, beforeTakeover, otherName,
                    firstByOther == null ? -1 : java.time.Duration.between(killedAt, firstByOther.toInstant()).toMillis(),
                    java.time.Duration.between(killedAt, leaseUntil.toInstant()).toMillis(),
                    (gone - requested) / 1_000_000, byGateway, rows, distinct, left, cleanupRows, inKeycloak);
            assertEquals(Set.of(runningName), beforeTakeover.keySet(), "only the lease holder worked before the kill: " + beforeTakeover);
            assertTrue(byGateway.getOrDefault(otherName, 0) > 0, "the other gateway took over: " + byGateway + "\n" + other.logTail());
            assertEquals(CLEANUP_RESOURCES, rows, "every resource deleted exactly once: " + byGateway);
            assertEquals(CLEANUP_RESOURCES, distinct, "no resource deleted twice");
            assertFalse(firstByOther.isBefore(leaseUntil), "taken over only after the lease expired: " + firstByOther + " < " + leaseUntil);
            assertEquals(0, left, "no resource left");
            assertEquals(0, cleanupRows, "the cleanup finished");
            assertEquals(404, inKeycloak, "the workspace group is gone");
        }
    }

    @Test
    @Order(8)
    void killingOneNodeDuringWritesLosesNoAcknowledgedWrite() throws Exception {
        String owner = a.newUser("cl-kill-owner");
        String ownerToken = a.userToken(owner);
        String workspace = KeycloakServer.unique("cl-kill");
        expect(201, http.post(a.keygateApi() + "/workspaces", ownerToken, Map.of("name", workspace)));
        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        AtomicInteger failedOnA = new AtomicInteger();
        AtomicInteger failedOnB = new AtomicInteger();
        AtomicInteger ackOnAAfterKill = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            KeycloakServer node = i % 2 == 0 ? a : b;
            String principal = "cl-kill-" + i + "-" + workspace + "@example.com";
            writes.add(writers.submit(() -> {
                boolean afterKill = killed.getCount() == 0;
                try {
                    Http.Response response = http.post(node.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                            Map.of("principal", principal, "roles", List.of("Viewer")));
                    if (response.status() == 201) {
                        acknowledged.add(principal);
                        if (node == a && afterKill) {
                            ackOnAAfterKill.incrementAndGet();
                        }
                    } else {
                        (node == a ? failedOnA : failedOnB).incrementAndGet();
                    }
                } catch (RuntimeException connectionLost) {
                    (node == a ? failedOnA : failedOnB).incrementAndGet();
                }
                if (done.incrementAndGet() == WRITES / 4) {
                    b.kill();
                    killed.countDown();
                }
            }));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        writers.shutdown();
        Set<String> present = principalsOn(a, workspace, ownerToken);
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(present);
        System.out.printf("[keygate-it] cluster kill -9 of node B after %d of %d writes: %d acknowledged, %d present afterwards on A, "
                        + "%d missing; failed on A %d, on B %d; acknowledged by A after the kill %d%n",
                WRITES / 4, WRITES, acknowledged.size(), present.size(), missing.size(), failedOnA.get(), failedOnB.get(), ackOnAAfterKill.get());
        assertTrue(missing.isEmpty(), "acknowledged writes missing: " + missing);
        assertEquals(0, failedOnA.get(), "node A kept serving every write");
        assertTrue(ackOnAAfterKill.get() > 0, "node A acknowledged writes after the kill");
        assertTrue(failedOnB.get() > 0, "node B was really killed mid-way");
    }

    /** A trigger outside the gateway's schema history: one row per deleted resource, with the deleting gateway's application_name and time. */
    private static void countDeletions(Connection store) throws SQLException {
        try (Statement ddl = store.createStatement()) {
            ddl.execute("CREATE TABLE it_cleanup_work (resource_id VARCHAR(64), workspace VARCHAR(63), deleted_by TEXT, "
                    + "deleted_at TIMESTAMP WITH TIME ZONE)");
            ddl.execute("CREATE FUNCTION it_count_deletion() RETURNS trigger AS $$ BEGIN "
                    + "INSERT INTO it_cleanup_work VALUES (OLD.id, OLD.workspace, current_setting('application_name'), clock_timestamp()); "
                    + "RETURN OLD; END $$ LANGUAGE plpgsql");
            ddl.execute("CREATE TRIGGER it_count_deletion AFTER DELETE ON resources FOR EACH ROW EXECUTE FUNCTION it_count_deletion()");
        }
    }

    private static Map<String, Integer> deletionsBy(Connection store) throws SQLException {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        try (Statement query = store.createStatement();
             ResultSet rows = query.executeQuery("SELECT deleted_by, count(*) FROM it_cleanup_work GROUP BY deleted_by")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    private static String awaitLeaseOwner(Connection store, String workspace) throws Exception {
        return poll("a lease on the cleanup of " + workspace, () -> {
            try (PreparedStatement query = store.prepareStatement("SELECT lease_owner FROM workspace_cleanups WHERE workspace = ?")) {
                query.setString(1, workspace);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getString(1) : null;
                }
            }
        });
    }

    private static OffsetDateTime leaseUntil(Connection store, String workspace) throws SQLException {
        try (PreparedStatement query = store.prepareStatement("SELECT lease_until FROM workspace_cleanups WHERE workspace = ?")) {
            query.setString(1, workspace);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "the cleanup is still running");
                return row.getObject(1, OffsetDateTime.class);
            }
        }
    }

    private static void awaitDeletedBy(Connection store, String gateway, int atLeast) throws Exception {
        poll(gateway + " deleting " + atLeast + " resources", () -> deletionsBy(store).getOrDefault(gateway, 0) >= atLeast ? gateway : null);
    }

    private static void awaitGone(Connection store, String workspace) throws Exception {
        poll("the end of the cleanup of " + workspace, () -> count(store, "SELECT count(*) FROM workspace_cleanups WHERE workspace = ?", workspace) == 0
                && count(store, "SELECT count(*) FROM resources WHERE workspace = ?", workspace) == 0 ? "gone" : null);
    }

    private static int count(Connection store, String sql, String parameter) throws SQLException {
        try (PreparedStatement query = store.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private interface Probe {
        String value() throws Exception;
    }

    /** Polls every 20 ms for up to 2 minutes until {@code probe} answers non-null. */
    private static String poll(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            String value = probe.value();
            if (value != null) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private GatewayUnderTest gatewayOf(KeycloakServer node) {
        try {
            return GatewayUnderTest.receiving(node, Files.createTempDirectory("keygate-cluster-gw"), KeycloakServer.unique("cl-gw"), EVENTS,
                    node.jwksUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> newUsers(String prefix, int count) throws Exception {
        List<Future<String>> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeycloakServer node = i % 2 == 0 ? a : b;
            created.add(pool.submit(() -> node.newUser(prefix)));
        }
        List<String> users = new ArrayList<>();
        for (Future<String> user : created) {
            users.add(user.get());
        }
        return users;
    }

    private void addAll(String workspace, String ownerToken, List<String> principals, String role) throws Exception {
        List<Future<Http.Response>> added = new ArrayList<>();
        for (int i = 0; i < principals.size(); i++) {
            KeycloakServer node = i % 2 == 0 ? a : b;
            String principal = principals.get(i);
            added.add(pool.submit(() -> http.post(node.keygateApi() + "/workspaces/" + workspace + "/members", ownerToken,
                    Map.of("principal", principal, "roles", List.of(role)))));
        }
        for (Future<Http.Response> response : added) {
            expect(201, response.get());
        }
    }

    private List<String> adminsOf(KeycloakServer node, String workspace, String token) {
        JsonNode page = expect(200, http.get(node.keygateApi() + "/workspaces/" + workspace + "/members?page_size=1000", token)).json();
        List<String> admins = new ArrayList<>();
        page.get("data").forEach(member -> member.get("roles").forEach(role -> {
            if ("Admin".equals(role.asText())) {
                admins.add(member.get("principal").asText());
            }
        }));
        return admins;
    }

    private Set<String> principalsOn(KeycloakServer node, String workspace, String token) {
        Set<String> principals = new HashSet<>();
        for (int page = 1; ; page++) {
            JsonNode body = expect(200, http.get(node.keygateApi() + "/workspaces/" + workspace + "/members?page_size=1000&page=" + page, token)).json();
            body.get("data").forEach(member -> principals.add(member.get("principal").asText()));
            if (page >= body.path("pagination").path("total_pages").asInt(1)) {
                return principals;
            }
        }
    }

    private String workspacesGroupId(String adminToken) {
        return expect(200, http.get(a.adminApi() + "/group-by-path/workspaces", adminToken)).json().get("id").asText();
    }

    private static List<String> rolesOf(JsonNode page, String principal) {
        for (JsonNode member : page.get("data")) {
            if (principal.equals(member.get("principal").asText())) {
                List<String> roles = new ArrayList<>();
                member.get("roles").forEach(role -> roles.add(role.asText()));
                return roles;
            }
        }
        return List.of();
    }

    private static String projects(String workspace) {
        return WORKSPACES + "/" + workspace + "/projects";
    }

    private static JWTClaimsSet claims(String token) throws ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }
}
