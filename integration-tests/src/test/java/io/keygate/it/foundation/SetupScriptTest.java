package io.keygate.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.support.FreePorts;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * README's first command, for real: {@code ./setup.sh} brings up Keycloak and the gateway (on free
 * ports, in a temporary state folder), the printed recipe (a token for alice, then a call to the
 * gateway) answers 200, and data survives {@code ./setup.sh down} followed by {@code ./setup.sh}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupScriptTest {

    private static final Path REPO = Path.of(System.getProperty("keygate.repo.dir", "..")).toAbsolutePath().normalize();

    private final Http http = new Http();
    private Path state;
    private Map<String, String> env;
    private String keycloakUrl;
    private String gatewayUrl;
    private String workspace;

    @BeforeAll
    void up() throws Exception {
        state = Files.createTempDirectory("keygate-setup-test-");
        int keycloakPort = FreePorts.next();
        int gatewayPort = FreePorts.next();
        env = Map.of(
                "KEYGATE_HOME", state.toString(),
                "KEYGATE_KC_PORT", String.valueOf(keycloakPort),
                "KEYGATE_KC_MANAGEMENT_PORT", String.valueOf(FreePorts.next()),
                "KEYGATE_GATEWAY_PORT", String.valueOf(gatewayPort));
        keycloakUrl = "http://localhost:" + keycloakPort;
        gatewayUrl = "http://localhost:" + gatewayPort;
        workspace = KeycloakServer.unique("setup");
        String output = setup("up");
        assertTrue(output.contains("keygate is up."), output);
        assertTrue(output.contains("TOKEN=$(curl"), "prints the copy-paste recipe:\n" + output);
    }

    @AfterAll
    void down() throws Exception {
        setup("down");
    }

    @Test
    @Order(1)
    void printedRecipeAnswers200WithARealToken() {
        Http.Response response = http.get(gatewayUrl + "/apis/entities/v2/workspaces", aliceToken());

        assertEquals(200, response.status(), response.toString());
        assertTrue(response.json().has("data"), response.toString());
    }

    @Test
    @Order(2)
    void workspaceSurvivesDownThenUp() throws Exception {
        Http.Response created = http.post(gatewayUrl + "/apis/entities/v2/workspaces", aliceToken(),
                Map.of("name", workspace, "description", "survives a restart"));
        assertEquals(201, created.status(), created.toString());

        setup("down");
        assertTrue(setup("status").contains("Keycloak: stopped"));
        setup("up");

        Http.Response read = http.get(gatewayUrl + "/apis/entities/v2/workspaces/" + workspace, aliceToken());
        assertEquals(200, read.status(), read.toString());
        assertEquals("survives a restart", read.json().get("description").asText());
    }

    private String aliceToken() {
        Http.Response response = http.postForm(keycloakUrl + "/realms/keygate/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "keygate-cli",
                "username", "alice@example.com", "password", KeycloakServer.DEV_PASSWORD));
        assertEquals(200, response.status(), response.toString());
        return response.json().get("access_token").asText();
    }

    private String setup(String command) throws IOException, InterruptedException {
        Path log = state.resolve("setup-" + command + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", REPO.resolve("setup.sh").toString(), command))
                .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./setup.sh " + command + " did not finish in 8 minutes:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), "./setup.sh " + command + " failed:\n" + output);
        return output;
    }
}
