package io.keygate.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditTest {

    private static TestIssuer issuer;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        issuer = new TestIssuer("audit");
        gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("audit", issuer, TestIssuer.AUDIENCE, "")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        issuer.close();
    }

    private AuditEntry last() {
        long deadline = System.currentTimeMillis() + 5000;
        while (gateway.audit.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        return gateway.audit.get(gateway.audit.size() - 1);
    }

    @Test
    void mutatingRequestIsRecordedWithWhoWhatWhereAndOutcome() {
        gateway.audit.clear();
        String token = issuer.token("editor@example.com", Map.of("ml-team", "Editor"));
        TestGateway.Response response = gateway.call("POST", "/apis/models/v2/workspaces/ml-team/models?api_key=s3cr3t&x=1",
                Map.of("Authorization", "Bearer " + token));
        assertEquals(200, response.status());
        AuditEntry entry = last();
        assertEquals("editor@example.com", entry.principal());
        assertEquals("POST", entry.method());
        assertEquals("ml-team", entry.workspace());
        assertEquals(200, entry.status());
        assertEquals("ok", entry.outcome());
        assertEquals("127.0.0.1", entry.clientAddress());
        assertTrue(entry.durationMillis() >= 0);
        assertEquals("/apis/models/v2/workspaces/ml-team/models?api_key=***&x=1", entry.path(), "secret masked");
    }

    @Test
    void failedAuthenticationIsRecordedWithoutTheToken() {
        gateway.audit.clear();
        String expired = issuer.sign(issuer.claims("x@example.com").expirationTime(new java.util.Date(0)).build());
        assertEquals(401, gateway.get("/apis/models/v2/workspaces/ws/models?access_token=" + expired, expired).status());
        AuditEntry entry = last();
        assertEquals(401, entry.status());
        assertEquals("unauthenticated", entry.outcome());
        assertNull(entry.principal());
        assertFalse(entry.toString().contains(expired.substring(0, 40)), "token must not reach the audit trail");
    }

    @Test
    void readsAreNotAuditedButDenialsAre() {
        gateway.audit.clear();
        String viewer = issuer.token("viewer@example.com", Map.of("ws", "Viewer"));
        assertEquals(200, gateway.get("/apis/models/v2/workspaces/ws/models", viewer).status());
        assertTrue(gateway.audit.isEmpty(), "a successful read is not audited");
        assertEquals(403, gateway.call("DELETE", "/apis/models/v2/workspaces/ws/models/m", Map.of("Authorization", "Bearer " + viewer)).status());
        assertEquals("denied", last().outcome());
        assertEquals("viewer@example.com", last().principal(), "a denial names who was refused");
        assertEquals("ws", last().workspace());
    }

    @Test
    void maskerHidesJwtsAnywhere() {
        assertEquals("/x/***?token=***&q=***", SecretMasker.maskPathAndQuery("/x/eyJa.eyJb.sig", "token=abc&q=eyJh.eyJp.c2ln"));
    }
}
