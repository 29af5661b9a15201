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
        OverageClaims.apply(claims, "workspaces", roles(3), 3, OverageClaims.DEFAULT_MAX_BYTES, ISSUER);

        assertEquals(Map.of("ws0", "Viewer", "ws1", "Editor", "ws2", "Admin"), claims.get("workspaces"));
        assertFalse(claims.containsKey("_claim_names"));
    }

    @Test
    void aboveTheLimitDistributedClaimsPointAtMeWorkspaces() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("_claim_names", Map.of("groups", "other"));
        OverageClaims.apply(claims, "ws", roles(4), 3, OverageClaims.DEFAULT_MAX_BYTES, ISSUER);

        assertFalse(claims.containsKey("ws"));
        assertEquals(Map.of("groups", "other", "ws", "src1"), claims.get("_claim_names"));
        assertEquals(Map.of("src1", Map.of("endpoint", ISSUER + "/keygate/me/workspaces")), claims.get("_claim_sources"));
    }

    @Test
    void longNamesOverTheByteBudgetGoToDistributedClaimsBelowTheCountLimit() {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            roles.put(String.format("%03d", i) + "-" + "n".repeat(59), Role.Viewer);
        }
        Map<String, Object> claims = new HashMap<>();
        OverageClaims.apply(claims, "workspaces", roles, 200, OverageClaims.DEFAULT_MAX_BYTES, ISSUER);
        Map<String, String> value = new LinkedHashMap<>();
        roles.forEach((name, role) -> value.put(name, role.name()));
        System.out.println("[keygate-unit] 200 names of 63 chars: claim JSON " + OverageClaims.jsonBytes(value)
                + " bytes > budget " + OverageClaims.DEFAULT_MAX_BYTES + " -> claims " + claims.keySet());

        assertFalse(claims.containsKey("workspaces"));
        assertEquals(Map.of("workspaces", "src1"), claims.get("_claim_names"));
    }

    @Test
    void aClaimExactlyAtTheByteBudgetIsWritten() {
        Map<String, Role> roles = Map.of("ab", Role.Admin);
        int bytes = "{\"ab\":\"Admin\"}".length();
        Map<String, Object> atBudget = new HashMap<>();
        OverageClaims.apply(atBudget, "workspaces", roles, 200, bytes, ISSUER);
        Map<String, Object> overBudget = new HashMap<>();
        OverageClaims.apply(overBudget, "workspaces", roles, 200, bytes - 1, ISSUER);

        assertEquals(Map.of("ab", "Admin"), atBudget.get("workspaces"));
        assertFalse(overBudget.containsKey("workspaces"));
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
