package io.keygate.it.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.gateway.resources.ResourceKind;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DESIGN.md section 4 over HTTP with real tokens: each role (and a non-member) tries every
 * operation on every resource kind, plus the workspace, member and inference operations; the
 * status must be exactly what the matrix allows (403 where it does not).
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixIT {

    private enum Caller { Viewer, Editor, Admin, PlatformAdmin, Outsider }

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    String ws;
    final Map<Caller, String> users = new LinkedHashMap<>();
    final List<String> mismatches = new ArrayList<>();
    final StringBuilder table = new StringBuilder();

    @BeforeAll
    void setUp() {
        gateway = new GatewayUnderTest(keycloak);
        ws = KeycloakServer.unique("matrix");
        for (Caller caller : List.of(Caller.Viewer, Caller.Editor, Caller.Admin, Caller.Outsider)) {
            String email = KeycloakServer.unique(caller.name().toLowerCase()) + "@example.com";
            keycloak.createUser(email);
            users.put(caller, email);
        }
        users.put(Caller.PlatformAdmin, "admin@example.com");
        status(201, gateway.post("/apis/entities/v2/workspaces", keycloak.userToken(users.get(Caller.Admin)), Map.of("name", ws)));
        String admin = keycloak.userToken(users.get(Caller.Admin));
        for (Caller role : List.of(Caller.Viewer, Caller.Editor)) {
            status(201, gateway.post("/apis/entities/v2/workspaces/" + ws + "/members", admin,
                    Map.of("principal", users.get(role), "roles", List.of(role.name()))));
        }
        for (ResourceKind kind : ResourceKind.values()) {
            status(201, gateway.post(collection(kind), admin, Map.of("name", "seed-item")));
        }
    }

    @AfterAll
    void tearDown() {
        gateway.close();
    }

    private static void status(int expected, Http.Response response) {
        assertEquals(expected, response.status(), response.toString());
    }

    private String collection(ResourceKind kind) {
        return kind.collectionPath().replace("{workspace}", ws);
    }

    private static boolean writer(Caller caller) {
        return caller == Caller.Editor || caller == Caller.Admin || caller == Caller.PlatformAdmin;
    }

    private static boolean member(Caller caller) {
        return caller != Caller.Outsider;
    }

    private static boolean admin(Caller caller) {
        return caller == Caller.Admin || caller == Caller.PlatformAdmin;
    }

    private void check(Caller caller, String operation, boolean allowed, int allowedStatus, Http.Response response) {
        int expected = allowed ? allowedStatus : 403;
        table.append(String.format("%-14s %-48s %d%n", caller, operation, response.status()));
        if (response.status() != expected) {
            mismatches.add(caller + " " + operation + ": expected " + expected + ", got " + response);
        }
    }

    @Test
    void everyRoleDoesExactlyWhatTheMatrixAllows() {
        for (Caller caller : Caller.values()) {
            String token = keycloak.userToken(users.get(caller));
            String mine = caller.name().toLowerCase() + "-item";
            for (ResourceKind kind : ResourceKind.values()) {
                String base = collection(kind);
                String label = kind.storedName();
                check(caller, "list " + label, member(caller), 200, gateway.get(base, token));
                check(caller, "read " + label, member(caller), 200, gateway.get(base + "/seed-item", token));
                check(caller, "create " + label, writer(caller), 201, gateway.post(base, token, Map.of("name", mine)));
                for (var method : kind.updateMethods()) {
                    check(caller, method.name() + " " + label, writer(caller), 200,
                            gateway.send(method.name(), base + "/seed-item", token, Map.of("description", caller.name())));
                }
                if (kind == ResourceKind.JOB) {
                    check(caller, "read job logs", member(caller), 200, gateway.get(base + "/seed-item/logs", token));
                    check(caller, "cancel job", writer(caller), 200,
                            gateway.post(base + "/" + (writer(caller) ? mine : "seed-item") + "/cancel", token, Map.of()));
                }
                check(caller, "delete " + label, writer(caller), 200,
                        gateway.delete(base + "/" + (writer(caller) ? mine : "seed-item"), token));
            }
            String workspace = "/apis/entities/v2/workspaces/" + ws;
            check(caller, "read workspace", member(caller), 200, gateway.get(workspace, token));
            check(caller, "update workspace description", admin(caller), 200,
                    gateway.put(workspace, token, Map.of("description", "by " + caller)));
            check(caller, "list members", member(caller), 200, gateway.get(workspace + "/members", token));
            String newcomer = KeycloakServer.unique("newcomer") + "@example.com";
            check(caller, "add member", admin(caller), 201,
                    gateway.post(workspace + "/members", token, Map.of("principal", newcomer, "roles", List.of("Viewer"))));
            if (admin(caller)) {
                check(caller, "update member", true, 200,
                        gateway.put(workspace + "/members/" + newcomer, token, Map.of("roles", List.of("Editor"))));
                check(caller, "remove member", true, 200, gateway.delete(workspace + "/members/" + newcomer, token));
            } else {
                check(caller, "update member", false, 200,
                        gateway.put(workspace + "/members/" + users.get(Caller.Viewer), token, Map.of("roles", List.of("Editor"))));
                check(caller, "remove member", false, 200,
                        gateway.delete(workspace + "/members/" + users.get(Caller.Viewer), token));
                check(caller, "delete workspace", false, 200, gateway.delete(workspace, token));
            }
            check(caller, "run inference (no upstream: 503 once allowed)", member(caller), 503,
                    gateway.post("/apis/inference-gateway/v2/workspaces/" + ws + "/openai/-/v1/chat/completions", token,
                            Map.of("model", "m")));
        }
        System.out.println("[matrix]\n" + table);
        assertEquals(List.of(), mismatches);
    }
}
