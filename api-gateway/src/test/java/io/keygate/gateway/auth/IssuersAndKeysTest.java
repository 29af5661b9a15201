package io.keygate.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several issuers at once, key rotation without restart, and validation while the JWKS endpoint is down. */
class IssuersAndKeysTest {

    private static final String PATH = "/apis/models/v2/workspaces/ws/models";
    private static final Map<String, String> VIEWER = Map.of("ws", "Viewer");

    @Test
    void twoIssuersEachCheckedAgainstItsOwnAudience() {
        try (TestIssuer a = new TestIssuer("realm-a"); TestIssuer b = new TestIssuer("realm-b");
             TestGateway gateway = new TestGateway(TestGateway.config(
                     TestGateway.issuerYaml("a", a, "api-a", "") + TestGateway.issuerYaml("b", b, "api-b", "")))) {
            String fromA = a.token("alice@example.com", VIEWER, c -> c.audience("api-a"));
            String fromB = b.token("bob@example.com", VIEWER, c -> c.audience("api-b"));
            assertEquals(200, gateway.get(PATH, fromA).status());
            assertEquals(200, gateway.get(PATH, fromB).status());
            assertTrue(gateway.get(PATH, fromB).body().contains("bob@example.com"));

            TestGateway.Response crossA = gateway.get(PATH, a.token("alice@example.com", VIEWER, c -> c.audience("api-b")));
            TestGateway.Response crossB = gateway.get(PATH, b.token("bob@example.com", VIEWER, c -> c.audience("api-a")));
            assertEquals(401, crossA.status(), "issuer a's token with issuer b's audience");
            assertEquals(401, crossB.status(), "issuer b's token with issuer a's audience");

            String signedByAClaimingB = a.sign(b.claims("eve@example.com").audience("api-b").build());
            assertEquals(401, gateway.get(PATH, signedByAClaimingB).status(), "issuer b's claims signed with issuer a's key");
        }
    }

    @Test
    void discoveryResolvesTheJwksUri() {
        try (TestIssuer issuer = new TestIssuer("disco");
             TestGateway gateway = new TestGateway("issuers:\n  - name: disco\n    issuer: " + issuer.issuer()
                     + "\n    discovery: " + issuer.discoveryUrl() + "\n    audiences: [keygate-api]\n")) {
            assertEquals(200, gateway.get(PATH, issuer.token("a@example.com", VIEWER)).status());
        }
    }

    @Test
    void rotatedKeysAreAcceptedWithoutRestart() {
        String fast = "    jwksRateLimit: 200ms\n";
        try (TestIssuer issuer = new TestIssuer("rotate");
             TestGateway gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("r", issuer, TestIssuer.AUDIENCE, fast)))) {
            assertEquals(200, gateway.get(PATH, issuer.token("a@example.com", VIEWER)).status());
            issuer.rotate(true);
            String newToken = issuer.token("a@example.com", VIEWER);
            int status = pollStatus(gateway, newToken);
            System.out.println("token signed with a rotated key -> " + status + " (JWKS fetches: " + issuer.jwksRequests() + ")");
            assertEquals(200, status);
        }
    }

    @Test
    void tokensIssuedBeforeAnOutageStayValidWhileTheJwksEndpointIsDown() {
        String shortCache = "    jwksCacheTtl: 2s\n    jwksRefreshAhead: 500ms\n    jwksTimeout: 500ms\n    jwksRateLimit: 200ms\n";
        try (TestIssuer issuer = new TestIssuer("outage");
             TestGateway gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("o", issuer, TestIssuer.AUDIENCE, shortCache)))) {
            assertEquals(200, gateway.get(PATH, issuer.token("a@example.com", VIEWER)).status());
            String issuedBefore = issuer.token("b@example.com", VIEWER);
            issuer.stop();
            long until = System.currentTimeMillis() + 3_000;
            int seen = 0;
            while (System.currentTimeMillis() < until) {
                String fresh = issuer.token("c" + seen++ + "@example.com", VIEWER);
                assertEquals(200, gateway.get(PATH, fresh).status(), "token never seen before, JWKS down, cache TTL passed");
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
            assertEquals(200, gateway.get(PATH, issuedBefore).status());
            System.out.println("JWKS endpoint down for 3 s (cache TTL 2 s): " + seen + " unseen tokens signed with the cached key accepted");
            issuer.restart();
        }
    }

    private static int pollStatus(TestGateway gateway, String token) {
        long deadline = System.currentTimeMillis() + 5_000;
        int status = gateway.get(PATH, token).status();
        while (status != 200 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
            status = gateway.get(PATH, token).status();
        }
        return status;
    }
}
