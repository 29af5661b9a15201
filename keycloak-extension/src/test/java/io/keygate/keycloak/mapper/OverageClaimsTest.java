package io.keygate.keycloak.mapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.keygate.core.Role;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverageClaimsTest {

    private static final String ISSUER = "http://localhost:8180/realms/keygate";

    @Test
    void atTheLimitTheClaimIsWritten() {
        Map<String, Object> claims = new HashMap<>();
        OverageClaims.apply(claims, "workspaces", roles(3), 3, ISSUER);

        assertEquals(Map.of("ws0", "Viewer", "ws1", "Editor", "ws2", "Admin"), claims.get("workspaces"));
        assertFalse(claims.containsKey("_claim_names"));
    }

    @Test
    void aboveTheLimitDistributedClaimsPointAtMeWorkspaces() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("_claim_names", Map.of("groups", "other"));
        OverageClaims.apply(claims, "ws", roles(4), 3, ISSUER);

        assertFalse(claims.containsKey("ws"));
        assertEquals(Map.of("groups", "other", "ws", "src1"), claims.get("_claim_names"));
        assertEquals(Map.of("src1", Map.of("endpoint", ISSUER + "/keygate/me/workspaces")), claims.get("_claim_sources"));
    }

    @Test
    void badLimitSettingsFallBackToTheDefault() {
        assertEquals(200, OverageClaims.parseLimit(null, 200));
        assertEquals(200, OverageClaims.parseLimit("lots", 200));
        assertEquals(200, OverageClaims.parseLimit("-1", 200));
        assertEquals(0, OverageClaims.parseLimit(" 0 ", 200));
    }

    private static Map<String, Role> roles(int count) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            roles.put("ws" + i, Role.values()[i % 3]);
        }
        return roles;
    }
}
