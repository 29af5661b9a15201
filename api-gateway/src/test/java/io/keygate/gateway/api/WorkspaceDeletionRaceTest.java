package io.keygate.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.resources.ResourceKind;
import io.keygate.gateway.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resource created while its workspace is being deleted must not outlive the workspace. The
 * stand-in for Keycloak's extension lands such a create exactly in the gap: after the gateway's
 * emptiness check, before Keycloak deletes the workspace.
 */
class WorkspaceDeletionRaceTest {

    private static final String WORKSPACE = "racing-ws";

    @TempDir
    Path dir;

    private HttpServer keycloak;
    private LocalGateway gateway;
    private final AtomicBoolean exists = new AtomicBoolean(true);

    @BeforeEach
    void start() throws IOException {
        keycloak = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keycloak.createContext("/realms/keygate/protocol/openid-connect/token",
                exchange -> answer(exchange, 200, "{\"access_token\":\"service\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        keycloak.createContext("/realms/keygate/keygate/workspaces/" + WORKSPACE, this::workspace);
        keycloak.start();
        String realm = "http://127.0.0.1:" + keycloak.getAddress().getPort() + "/realms/keygate";
        gateway = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()), realm, null, "secret",
                InferenceConfig.none(), true));
    }

    @AfterEach
    void stop() {
        gateway.close();
        keycloak.stop(0);
    }

    @Test
    void aResourceCreatedBetweenTheEmptinessCheckAndTheKeycloakDeleteIsRemovedWithTheWorkspace() {
        LocalGateway.Reply deleted = gateway.send("DELETE", "/apis/entities/v2/workspaces/" + WORKSPACE, null);

        assertEquals(200, deleted.status(), deleted.body());
        assertEquals("racing-ws-id", deleted.json().get("id").asText());
        assertTrue(gateway.module.resources().countByKind(WORKSPACE).isEmpty(),
                "left behind: " + gateway.module.resources().countByKind(WORKSPACE));
    }

    private void workspace(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("DELETE")) {
            gateway.module.resources().create(ResourceKind.PROJECT, WORKSPACE, "late", null,
                    new ObjectMapper().createObjectNode(), "someone-with-an-old-token");
            exists.set(false);
            answer(exchange, 204, "");
        } else if (exists.get()) {
            answer(exchange, 200, "{\"id\":\"racing-ws-id\",\"name\":\"" + WORKSPACE + "\"}");
        } else {
            answer(exchange, 404, "{\"detail\":\"Workspace '" + WORKSPACE + "' not found\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
