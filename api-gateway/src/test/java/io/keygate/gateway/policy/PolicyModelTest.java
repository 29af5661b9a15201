package io.keygate.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyModelTest {

    private static Map<String, Object> rule(List<String> permissions) {
        return Map.of("permissions", permissions, "scopes", List.of());
    }

    private static PolicyModel model(Map<String, Object> endpoints) {
        return PolicyModel.fromMap(Map.of(
                "roles", Map.of("Viewer", Map.of("permissions", List.of("a.read")),
                        "Editor", Map.of("includes", List.of("Viewer"), "permissions", List.of("a.write"))),
                "endpoints", endpoints));
    }

    private static PolicySubject caller(String role) {
        return new PolicySubject() {
            @Override
            public String roleIn(String workspace) {
                return workspace.equals("ws") ? role : null;
            }

            @Override
            public Collection<String> allWorkspaceRoles() {
                return role == null ? List.of() : List.of(role);
            }

            @Override
            public Set<String> orgRolesIn(String org) {
                return null;
            }

            @Override
            public Set<String> scopes() {
                return Set.of();
            }

            @Override
            public boolean platformAdmin() {
                return false;
            }
        };
    }

    @Test
    void literalBeatsPlaceholderBeatsRest() {
        PolicyEngine engine = new PolicyEngine(model(Map.of(
                "/w/{workspace}/-/v1/models", Map.of("get", rule(List.of("a.read"))),
                "/w/{workspace}/-/{rest}", Map.of("get", rule(List.of("a.write")), "post", rule(List.of("a.read"))))));
        assertEquals("/w/{workspace}/-/v1/models", engine.decide(caller("Viewer"), "GET", "/w/ws/-/v1/models").rule().pattern());
        assertEquals("/w/{workspace}/-/{rest}", engine.decide(caller("Viewer"), "POST", "/w/ws/-/v1/models").rule().pattern(),
                "method decides between literal and rest");
        assertEquals(Decision.Outcome.MISSING_ROLE, engine.decide(caller("Viewer"), "GET", "/w/ws/-/a/b/c").outcome());
        assertTrue(engine.decide(caller("Editor"), "GET", "/w/ws/-/a/b/c").allowed());
        assertTrue(engine.decide(caller("Editor"), "GET", "/w/ws/-/a/b/c/").allowed(), "one trailing slash ignored");
    }

    @Test
    void badPathsAndMissingEndpoints() {
        PolicyEngine engine = new PolicyEngine(model(Map.of("/w/{workspace}", Map.of("get", rule(List.of("a.read"))))));
        assertEquals(Decision.Outcome.BAD_PATH, engine.decide(caller("Editor"), "GET", "/w//ws").outcome());
        assertEquals(Decision.Outcome.BAD_PATH, engine.decide(caller("Editor"), "GET", "/w/..").outcome());
        assertEquals(Decision.Outcome.BAD_PATH, engine.decide(caller("Editor"), "GET", "/w/%2e%2e").outcome());
        assertEquals(Decision.Outcome.BAD_PATH, engine.decide(caller("Editor"), "GET", "/w/a%2Fb").outcome());
        assertEquals(Decision.Outcome.BAD_PATH, engine.decide(caller("Editor"), "GET", "/w/%zz").outcome());
        assertEquals(Decision.Outcome.NO_ENDPOINT, engine.decide(caller("Editor"), "GET", "/w/ws/x").outcome());
        assertEquals(Decision.Outcome.NO_ENDPOINT, engine.decide(caller("Editor"), "DELETE", "/w/ws").outcome());
        assertNull(engine.decide(caller("Editor"), "GET", "/nothing").rule());
    }

    @Test
    void invalidDocumentsNameTheKey() {
        assertTrue(assertThrows(PolicyException.class, () -> PolicyModel.fromMap(Map.of("roles",
                Map.of("A", Map.of("includes", List.of("B")), "B", Map.of("includes", List.of("A"))))))
                .getMessage().contains("cycle"));
        assertTrue(assertThrows(PolicyException.class, () -> PolicyModel.fromMap(Map.of("roles",
                Map.of("A", Map.of("includes", List.of("Nope")))))).getMessage().contains("unknown role 'Nope'"));
        assertTrue(assertThrows(PolicyException.class, () -> PolicyModel.fromMap(Map.of(
                "permissions", Map.of("a", Map.of("read", Map.of("description", "x"))),
                "roles", Map.of("A", Map.of("permissions", List.of("a.write"))))))
                .getMessage().contains("roles.A.permissions: unknown permission 'a.write'"));
        assertTrue(assertThrows(PolicyException.class, () -> model(Map.of("/x/{y}", Map.of("fetch", rule(List.of())))))
                .getMessage().contains("endpoints./x/{y}.fetch"));
        assertTrue(assertThrows(PolicyException.class, () -> model(Map.of("/x/a{y}", Map.of("get", rule(List.of())))))
                .getMessage().contains("placeholder"));
        assertTrue(assertThrows(PolicyException.class, () -> model(Map.of("/x", Map.of("get", Map.of("permisions", List.of())))))
                .getMessage().contains("endpoints./x.get.permisions"));
        assertTrue(assertThrows(PolicyException.class, () -> model(Map.of("/x", Map.of("get", Map.of("org_roles", List.of("A"))))))
                .getMessage().contains("{org}"));
    }

    @Test
    void includesAreTransitiveAndWildcardGrantsEverything() {
        PolicyModel model = PolicyModel.fromMap(Map.of("roles", Map.of(
                "A", Map.of("permissions", List.of("p1")),
                "B", Map.of("includes", List.of("A"), "permissions", List.of("p2")),
                "C", Map.of("includes", List.of("B")),
                "S", Map.of("permissions", List.of("*")))));
        assertEquals(Set.of("p1", "p2"), model.permissionsOf("C"));
        assertTrue(model.grants("S", Set.of("anything.at.all")));
    }
}
