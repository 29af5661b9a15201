package io.keygate.gateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} over real HTTP with a real HTTP issuer (discovery and JWKS) that is down, comes
 * up and goes away again: ready only once the issuer's signing keys are cached (a gateway that
 * never fetched them cannot decide a bearer request), and still ready, deciding with the cached
 * keys, while the issuer is away, which {@code checks.keycloak} and {@code keygate_keycloak_up}
 * report.
 */
class ReadinessKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECTS = "/apis/entities/v2/workspaces/ready-ws/projects";

    @TempDir
    Path dir;

    @Test
    void readyOnlyWithCachedSigningKeysAndStillReadyWhenTheIssuerGoesAway() throws Exception {
        try (TestIssuer issuer = new TestIssuer("ready")) {
            issuer.stop();
            ApiModule api = new ApiModule(new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()), issuer.issuer(), null,
                    "secret", InferenceConfig.none(), false), new Metrics());
            String yaml = "audit:\n  sink: none\n" + TestGateway.config(TestGateway.issuerYaml("keygate", issuer, TestIssuer.AUDIENCE,
                    "    jwksRateLimit: 100ms\n    jwksTimeout: 2s\n"));
            try (api; TestGateway gateway = new TestGateway(yaml, Map.of(), List.of(api))) {
                String token = issuer.token("ready@example.com", Map.of("ready-ws", "Viewer"));

                TestGateway.Response neverFetched = gateway.get("/readyz", null);
                System.out.println("[keygate-test] /readyz, issuer never reachable: " + neverFetched.status() + " " + neverFetched.body());
                assertEquals(503, neverFetched.status(), neverFetched.body());
                JsonNode checks = JSON.readTree(neverFetched.body()).get("checks");
                assertEquals("missing", checks.get("signing_keys").get("keygate").asText());
                assertEquals("down", checks.get("keycloak").asText());
                assertEquals("up", checks.get("storage").asText());
                assertEquals(401, decide(gateway, token).status(), "no keys: the bearer request cannot be decided");

                issuer.restart();
                TestGateway.Response fetched = awaitStatus(gateway, 200);
                System.out.println("[keygate-test] /readyz, issuer up: " + fetched.status() + " " + fetched.body());
                checks = JSON.readTree(fetched.body()).get("checks");
                assertEquals("cached", checks.get("signing_keys").get("keygate").asText());
                assertEquals("up", checks.get("keycloak").asText());
                assertEquals(200, decide(gateway, token).status());

                issuer.stop();
                TestGateway.Response away = gateway.get("/readyz", null);
                String metrics = gateway.get("/metrics", null).body();
                System.out.println("[keygate-test] /readyz, issuer gone after the keys were cached: " + away.status() + " " + away.body());
                assertEquals(200, away.status(), "still decides with the cached keys: " + away.body());
                checks = JSON.readTree(away.body()).get("checks");
                assertEquals("ready", JSON.readTree(away.body()).get("status").asText());
                assertEquals("cached", checks.get("signing_keys").get("keygate").asText());
                assertEquals("down", checks.get("keycloak").asText(), "Keycloak's state is a detail");
                assertTrue(metrics.contains("keygate_keycloak_up 0.0"), "and a metric");
                assertEquals(200, decide(gateway, issuer.token("ready2@example.com", Map.of("ready-ws", "Viewer"))).status(),
                        "a new token is decided with the cached keys");
            }
        }
    }

    /** A forward-auth decision for a Viewer read: needs a verified token, nothing else. */
    private static TestGateway.Response decide(TestGateway gateway, String token) {
        return gateway.call("GET", "/forward-auth", Map.of("Authorization", "Bearer " + token,
                "X-Original-Method", "GET", "X-Original-URI", PROJECTS));
    }

    private static TestGateway.Response awaitStatus(TestGateway gateway, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        TestGateway.Response last = gateway.get("/readyz", null);
        while (last.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = gateway.get("/readyz", null);
        }
        return last;
    }
}
