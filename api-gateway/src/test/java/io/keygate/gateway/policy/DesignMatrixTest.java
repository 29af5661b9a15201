package io.keygate.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md section 4, as a table: every operation x every role, over real HTTP with signed
 * tokens, against the built-in policy. Columns: Viewer, Editor, Admin, PlatformAdmin, and a
 * caller with no role in the workspace ({@code y} = allowed, {@code -} = denied with 403).
 */
class DesignMatrixTest {

    private static final String MATRIX = """
            # operation                           | method path                                                              | V E A P none
            list workspaces                       | GET /apis/entities/v2/workspaces                                         | y y y y y
            create workspace                      | POST /apis/entities/v2/workspaces                                        | y y y y y
            read workspace                        | GET /apis/entities/v2/workspaces/ws                                      | y y y y -
            update workspace description          | PUT /apis/entities/v2/workspaces/ws                                      | - - y y -
            delete workspace                      | DELETE /apis/entities/v2/workspaces/ws                                   | - - y y -
            list members                          | GET /apis/entities/v2/workspaces/ws/members                              | y y y y -
            add member                            | POST /apis/entities/v2/workspaces/ws/members                             | - - y y -
            update member                         | PUT /apis/entities/v2/workspaces/ws/members/bob@example.com              | - - y y -
            remove member                         | DELETE /apis/entities/v2/workspaces/ws/members/bob@example.com           | - - y y -
            set visibility (*)                    | PUT /apis/entities/v2/workspaces/ws/members/*                            | - - y y -
            remove visibility (*)                 | DELETE /apis/entities/v2/workspaces/ws/members/*                         | - - y y -
            list projects                         | GET /apis/entities/v2/workspaces/ws/projects                             | y y y y -
            read project                          | GET /apis/entities/v2/workspaces/ws/projects/p1                          | y y y y -
            create project                        | POST /apis/entities/v2/workspaces/ws/projects                            | - y y y -
            update project                        | PUT /apis/entities/v2/workspaces/ws/projects/p1                          | - y y y -
            delete project                        | DELETE /apis/entities/v2/workspaces/ws/projects/p1                       | - y y y -
            list models                           | GET /apis/models/v2/workspaces/ws/models                                 | y y y y -
            read model                            | GET /apis/models/v2/workspaces/ws/models/m1                              | y y y y -
            create model                          | POST /apis/models/v2/workspaces/ws/models                                | - y y y -
            update model                          | PATCH /apis/models/v2/workspaces/ws/models/m1                            | - y y y -
            delete model                          | DELETE /apis/models/v2/workspaces/ws/models/m1                           | - y y y -
            list datasets (filesets)              | GET /apis/files/v2/workspaces/ws/filesets                                | y y y y -
            read dataset                          | GET /apis/files/v2/workspaces/ws/filesets/f1                             | y y y y -
            create dataset                        | POST /apis/files/v2/workspaces/ws/filesets                               | - y y y -
            update dataset                        | PATCH /apis/files/v2/workspaces/ws/filesets/f1                           | - y y y -
            delete dataset                        | DELETE /apis/files/v2/workspaces/ws/filesets/f1                          | - y y y -
            list deployments                      | GET /apis/models/v2/workspaces/ws/deployments                            | y y y y -
            read deployment                       | GET /apis/models/v2/workspaces/ws/deployments/d1                         | y y y y -
            create deployment                     | POST /apis/models/v2/workspaces/ws/deployments                           | - y y y -
            update deployment                     | PUT /apis/models/v2/workspaces/ws/deployments/d1                         | - y y y -
            delete deployment                     | DELETE /apis/models/v2/workspaces/ws/deployments/d1                      | - y y y -
            list jobs                             | GET /apis/jobs/v2/workspaces/ws/jobs                                     | y y y y -
            read job                              | GET /apis/jobs/v2/workspaces/ws/jobs/j1                                  | y y y y -
            read job logs                         | GET /apis/jobs/v2/workspaces/ws/jobs/j1/logs                             | y y y y -
            create job                            | POST /apis/jobs/v2/workspaces/ws/jobs                                    | - y y y -
            cancel job                            | POST /apis/jobs/v2/workspaces/ws/jobs/j1/cancel                          | - y y y -
            delete job                            | DELETE /apis/jobs/v2/workspaces/ws/jobs/j1                               | - y y y -
            run inference                         | POST /apis/inference-gateway/v2/workspaces/ws/openai/-/v1/chat/completions | y y y y -
            list inference models                 | GET /apis/inference-gateway/v2/workspaces/ws/openai/-/v1/models          | y y y y -
            endpoint not in the policy            | GET /apis/entities/v2/workspaces/ws/secrets                              | - - - - -
            """;

    private static final List<String> COLUMNS = List.of("Viewer", "Editor", "Admin", "PlatformAdmin", "none");
    private static TestIssuer issuer;
    private static TestGateway gateway;
    private static final Map<String, String> TOKENS = new java.util.HashMap<>();

    @BeforeAll
    static void start() {
        issuer = new TestIssuer("matrix");
        gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("matrix", issuer, TestIssuer.AUDIENCE, "")));
        for (String role : List.of("Viewer", "Editor", "Admin")) {
            TOKENS.put(role, issuer.token(role.toLowerCase() + "@example.com", Map.of("ws", role, "default", "Editor")));
        }
        TOKENS.put("PlatformAdmin", issuer.token("admin@example.com", Map.of(),
                b -> b.claim("realm_access", Map.of("roles", List.of("platform-admin", "offline_access")))));
        TOKENS.put("none", issuer.token("stranger@example.com", Map.of("other-ws", "Admin", "default", "Editor")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        issuer.close();
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String line : MATRIX.strip().split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\\|");
            String[] request = columns[1].trim().split(" ");
            String[] verdicts = columns[2].trim().split("\\s+");
            for (int i = 0; i < COLUMNS.size(); i++) {
                cells.add(Arguments.of(columns[0].trim(), COLUMNS.get(i), request[0], request[1], verdicts[i].equals("y")));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} as {1}: allowed={4}")
    @MethodSource("cells")
    void matrixCell(String operation, String role, String method, String path, boolean allowed) {
        TestGateway.Response response = gateway.call(method, path, Map.of("Authorization", "Bearer " + TOKENS.get(role)));
        assertEquals(allowed ? 200 : 403, response.status(), operation + " as " + role + ": " + response.body());
        if (!allowed) {
            assertTrue(response.body().contains("requires role") || response.body().contains("no policy allows"), response.body());
        }
    }
}
