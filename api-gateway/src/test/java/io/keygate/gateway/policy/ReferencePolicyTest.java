package io.keygate.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.core.Role;
import io.keygate.gateway.auth.AuthenticatedCaller;
import io.keygate.gateway.auth.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NeMo Platform's published policy loads unchanged and decides a sample of its endpoints correctly. */
class ReferencePolicyTest {

    private static PolicyEngine engine;

    /** Finds {@code shared/reference/nemo-static-authz.yaml} from the module or repository directory. */
    static Path referenceFile() {
        String property = System.getProperty("keygate.reference.dir");
        if (property != null && Files.exists(Path.of(property, "nemo-static-authz.yaml"))) {
            return Path.of(property, "nemo-static-authz.yaml");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/reference/nemo-static-authz.yaml"),
                    dir.resolve("../shared/reference/nemo-static-authz.yaml")}) {
                if (Files.exists(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("shared/reference/nemo-static-authz.yaml not found above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void load() {
        engine = PolicyLoader.fromFile(referenceFile());
    }

    private static Principal user(String role, String... scopes) {
        Map<String, Role> roles = role == null ? Map.of() : Map.of("ws", Role.valueOf(role));
        return new Principal("sub", "u@example.com", "u", roles, Map.of(), Set.of(scopes), false, "test");
    }

    private static Principal platformAdmin(String... scopes) {
        return new Principal("sub", "admin@example.com", "admin", Map.of(), Map.of(), Set.of(scopes), true, "test");
    }

    private static Decision decide(Principal principal, String method, String path) {
        return engine.decide(AuthenticatedCaller.of(principal).subject(), method, path);
    }

    @Test
    void loadsEveryEndpointOfTheFile() {
        System.out.println("reference policy: " + engine.model().rules().size() + " endpoint rules, roles " + engine.model().roleNames());
        assertTrue(engine.model().rules().size() > 150, "rules: " + engine.model().rules().size());
        assertTrue(engine.model().permissionsOf("Admin").containsAll(engine.model().permissionsOf("Viewer")), "includes resolved");
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                // method, path, lowest workspace role allowed (null = none of them; PA decides separately)
                Arguments.of("GET", "/apis/models/v2/workspaces/ws/models", "Viewer"),
                Arguments.of("POST", "/apis/models/v2/workspaces/ws/models", "Editor"),
                Arguments.of("PATCH", "/apis/models/v2/workspaces/ws/models/m1", "Editor"),
                Arguments.of("GET", "/apis/entities/v2/workspaces/ws", "Viewer"),
                Arguments.of("DELETE", "/apis/entities/v2/workspaces/ws", "Editor"),
                Arguments.of("GET", "/apis/entities/v2/workspaces/ws/members", "Admin"),
                Arguments.of("POST", "/apis/entities/v2/workspaces/ws/members", "Admin"),
                Arguments.of("DELETE", "/apis/entities/v2/workspaces/ws/members/*", "Admin"),
                Arguments.of("GET", "/apis/files/v2/workspaces/ws/filesets/f1/-/dir/sub/file.txt", "Viewer"),
                Arguments.of("PUT", "/apis/files/v2/workspaces/ws/filesets/f1/-/dir/sub/file.txt", "Editor"),
                Arguments.of("HEAD", "/apis/files/v2/workspaces/ws/filesets/f1/-/file.txt", "Viewer"),
                Arguments.of("GET", "/apis/inference-gateway/v2/workspaces/ws/openai/-/v1/models", "Viewer"),
                Arguments.of("POST", "/apis/inference-gateway/v2/workspaces/ws/openai/-/v1/chat/completions", "Viewer"),
                Arguments.of("POST", "/apis/jobs/v2/workspaces/ws/jobs/j1/cancel", "Editor"),
                Arguments.of("GET", "/apis/jobs/v2/workspaces/ws/jobs/j1/logs", "Viewer"),
                Arguments.of("GET", "/apis/secrets/v2/workspaces/ws/secrets/s1/access", null),
                Arguments.of("GET", "/apis/auth/v2/iam/role-bindings", "Admin"),
                Arguments.of("POST", "/apis/secrets/v2/rotate-encryption-keys", null),
                Arguments.of("GET", "/apis/entities/v2/entities/e1", null));
    }

    @ParameterizedTest(name = "{0} {1}: lowest role {2}")
    @MethodSource("samples")
    void decidesForEachRole(String method, String path, String lowest) {
        int threshold = lowest == null ? Integer.MAX_VALUE : Role.valueOf(lowest).ordinal();
        for (Role role : Role.values()) {
            Decision decision = decide(user(role.name()), method, path);
            assertEquals(role.ordinal() >= threshold, decision.allowed(), method + " " + path + " as " + role + ": " + decision);
        }
        assertEquals(false, decide(user(null), method, path).allowed(), "no role");
        assertTrue(decide(platformAdmin(), method, path).allowed(), "PlatformAdmin");
    }

    @Test
    void authenticatedOnlyEndpointAndUnknownEndpoint() {
        assertTrue(decide(user(null), "GET", "/apis/auth/discovery").allowed());
        assertTrue(decide(user(null), "POST", "/apis/entities/v2/workspaces").allowed(), "create workspace: authentication only");
        Decision unknown = decide(platformAdmin(), "GET", "/apis/nothing/here");
        assertEquals(Decision.Outcome.NO_ENDPOINT, unknown.outcome());
        assertEquals(Decision.Outcome.NO_ENDPOINT, decide(user("Admin"), "TRACE", "/apis/models/v2/workspaces/ws/models").outcome());
    }

    @Test
    void restrictedScopes() {
        String models = "/apis/models/v2/workspaces/ws/models";
        assertTrue(decide(user("Editor", "openid", "models:read"), "GET", models).allowed());
        Decision write = decide(user("Editor", "openid", "models:read"), "POST", models);
        assertEquals(Decision.Outcome.MISSING_SCOPE, write.outcome());
        assertTrue(write.detail().contains("models:write"), write.detail());
        assertTrue(decide(user("Editor", "platform:write"), "POST", models).allowed(), "platform:write covers models");
        assertEquals(Decision.Outcome.MISSING_SCOPE, decide(user("Editor", "jobs:write"), "POST", models).outcome());
        assertTrue(decide(user("Editor", "openid", "email", "profile"), "POST", models).allowed(), "no ':' scope: check skipped");
        assertTrue(decide(platformAdmin("models:read"), "POST", models).allowed(), "PlatformAdmin skips the scope check");
        assertEquals(Decision.Outcome.MISSING_ROLE, decide(user("Viewer", "models:write"), "POST", models).outcome(),
                "a scope never replaces the role");
    }

    @Test
    void workspaceComesFromThePath() {
        assertEquals("ws", decide(user("Viewer"), "GET", "/apis/models/v2/workspaces/ws/models").workspace());
        assertEquals("ws", decide(user("Viewer"), "GET", "/apis/entities/v2/workspaces/ws").workspace());
        assertEquals(false, decide(user("Admin"), "GET", "/apis/models/v2/workspaces/other/models").allowed());
    }
}
