package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The last-Admin rule under concurrent removals and demotions, and for the admin REST API. */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LastAdminIT {

    private static final int ADMINS = 20;
    private static final int ROUNDS = 20;

    KeycloakServer keycloak;
    KeygateApi api;
    final List<String> admins = new ArrayList<>();
    ExecutorService pool;

    @BeforeAll
    void createAdmins() throws Exception {
        api = new KeygateApi(keycloak);
        pool = Executors.newFixedThreadPool(ADMINS);
        List<Future<String>> users = new ArrayList<>();
        for (int i = 0; i < ADMINS; i++) {
            users.add(pool.submit(() -> api.newUser("admin")));
        }
        for (Future<String> user : users) {
            admins.add(user.get());
        }
    }

    @AfterAll
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void concurrentRemovalsAndDemotionsAlwaysLeaveAnAdmin() throws Exception {
        String platformAdmin = keycloak.userToken("admin@example.com");
        for (int round = 1; round <= ROUNDS; round++) {
            String workspace = KeycloakServer.unique("last-admin");
            String ownerToken = keycloak.userToken(admins.get(0));
            api.createWorkspace(ownerToken, workspace);
            addAdmins(ownerToken, workspace);
            assertEquals(ADMINS, adminsOf(workspace, platformAdmin).size());

            List<Integer> statuses = removeOrDemoteAllAtOnce(workspace, platformAdmin);
            List<String> left = adminsOf(workspace, platformAdmin);
            long succeeded = statuses.stream().filter(status -> status == 200 || status == 204).count();
            long refused = statuses.stream().filter(status -> status == 409).count();
            System.out.printf("[last-admin] round %d: %d changed, %d refused with 409, admins left %s%n",
                    round, succeeded, refused, left);

            assertEquals(ADMINS, succeeded + refused, "every request either succeeded or got 409: " + statuses);
            assertTrue(left.size() >= 1, "workspace kept an Admin");
            assertEquals(ADMINS - succeeded, left.size(), "each successful request removed exactly one Admin");
        }
    }

    @Test
    void adminRestApiCannotRemoveTheLastAdminEither() {
        String owner = admins.get(1);
        String workspace = KeycloakServer.unique("console-guard");
        api.createWorkspace(keycloak.userToken(owner), workspace);
        String adminToken = keycloak.adminToken();
        String adminGroup = api.groupId(adminToken, "/workspaces/" + workspace + "/Admin");
        String ownerId = api.userId(adminToken, owner);

        Http.Response refused = api.adminLeave(adminToken, ownerId, adminGroup);
        System.out.println("[last-admin] admin REST DELETE /users/{id}/groups/{Admin} of the last Admin: " + refused);

        assertEquals(409, refused.status(), "Keycloak's admin REST API refused the removal: " + refused);
        assertEquals(List.of(owner), adminsOf(workspace, keycloak.userToken("admin@example.com")),
                "the membership was rolled back");

        String second = admins.get(2);
        api.addMember(keycloak.userToken(owner), workspace, second, "Admin");
        KeygateApi.expect(204, api.adminLeave(adminToken, ownerId, adminGroup));
        assertEquals(List.of(second), adminsOf(workspace, keycloak.userToken("admin@example.com")));
    }

    @Test
    void adminRestApiCannotDeleteTheUserWhoIsTheLastAdmin() {
        String owner = api.newUser("sole-admin");
        String workspace = KeycloakServer.unique("orphan-guard");
        api.createWorkspace(keycloak.userToken(owner), workspace);
        String adminToken = keycloak.adminToken();
        String ownerId = api.userId(adminToken, owner);

        Http.Response refused = api.http.delete(keycloak.adminApi() + "/users/" + ownerId, adminToken);
        System.out.println("[last-admin] admin REST DELETE /users/{id} of the last Admin: " + refused);

        assertEquals(409, refused.status(), "Keycloak's admin REST API refused deleting the user: " + refused);
        assertTrue(refused.body().contains("last Admin of workspace '" + workspace + "'"), refused.body());
        KeygateApi.expect(200, api.http.get(keycloak.adminApi() + "/users/" + ownerId, adminToken));
        assertEquals(List.of(owner), adminsOf(workspace, keycloak.userToken("admin@example.com")), "nothing was removed");

        String second = api.newUser("next-admin");
        api.addMember(keycloak.userToken(owner), workspace, second, "Admin");
        KeygateApi.expect(204, api.http.delete(keycloak.adminApi() + "/users/" + ownerId, adminToken));
        assertEquals(List.of(second), adminsOf(workspace, keycloak.userToken("admin@example.com")));
    }

    @Test
    void concurrentAdminRestRemovalsAlwaysLeaveAnAdmin() throws Exception {
        int admins = 5;
        for (int round = 1; round <= 10; round++) {
            String workspace = KeycloakServer.unique("console-race");
            String ownerToken = keycloak.userToken(this.admins.get(0));
            api.createWorkspace(ownerToken, workspace);
            for (String admin : this.admins.subList(1, admins)) {
                api.addMember(ownerToken, workspace, admin, "Admin");
            }
            String adminToken = keycloak.adminToken();
            String adminGroup = api.groupId(adminToken, "/workspaces/" + workspace + "/Admin");
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (String admin : this.admins.subList(0, admins)) {
                String userId = api.userId(adminToken, admin);
                results.add(pool.submit(() -> {
                    start.await();
                    return api.adminLeave(adminToken, userId, adminGroup).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            List<String> left = adminsOf(workspace, keycloak.userToken("admin@example.com"));
            long removed = statuses.stream().filter(status -> status == 204).count();
            System.out.printf("[last-admin] admin REST race round %d: statuses %s, admins left %s%n", round, statuses, left);

            assertTrue(left.size() >= 1, "workspace kept an Admin: " + statuses);
            assertEquals(admins - removed, left.size());
            assertTrue(statuses.stream().allMatch(status -> status == 204 || status == 409), statuses.toString());
        }
    }

    private void addAdmins(String ownerToken, String workspace) throws Exception {
        List<Future<?>> added = new ArrayList<>();
        for (String admin : admins.subList(1, ADMINS)) {
            added.add(pool.submit(() -> api.addMember(ownerToken, workspace, admin, "Admin")));
        }
        for (Future<?> future : added) {
            future.get();
        }
    }

    private List<Integer> removeOrDemoteAllAtOnce(String workspace, String token) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < ADMINS; i++) {
            String admin = admins.get(i);
            boolean demote = i % 2 == 0;
            results.add(pool.submit(() -> {
                start.await();
                String path = "/workspaces/" + workspace + "/members/" + admin;
                Http.Response response = demote ? api.put(path, token, Map.of("roles", List.of("Editor"))) : api.delete(path, token);
                if (response.status() == 409) {
                    assertTrue(response.json().path("detail").asText().contains("last Admin"), response.toString());
                }
                return response.status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        return statuses;
    }

    private List<String> adminsOf(String workspace, String token) {
        Http.Response response = api.get("/workspaces/" + workspace + "/members?page_size=1000", token);
        KeygateApi.expect(200, response);
        List<String> result = new ArrayList<>();
        for (JsonNode member : response.json().get("data")) {
            for (JsonNode role : member.get("roles")) {
                if ("Admin".equals(role.asText())) {
                    result.add(member.get("principal").asText());
                }
            }
        }
        return result;
    }
}
