package io.keygate.keycloak.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.core.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveRolesTest {

    @Test
    void highestOfWildcardAndExplicitWins() {
        Map<String, Role> effective = EffectiveRoles.combine(
                Map.of("shared", Role.Editor, "mine", Role.Viewer),
                Map.of("shared", Role.Viewer, "mine", Role.Editor, "public", Role.Viewer));

        assertEquals(Role.Editor, effective.get("shared"));
        assertEquals(Role.Editor, effective.get("mine"));
        assertEquals(Role.Viewer, effective.get("public"));
    }

    @Test
    void builtInsAreAlwaysThereAndCanBeRaised() {
        assertEquals(Map.of("default", Role.Editor, "system", Role.Viewer), EffectiveRoles.combine(Map.of(), Map.of()));
        assertEquals(Role.Admin, EffectiveRoles.combine(Map.of("system", Role.Admin), Map.of()).get("system"));
    }

    @Test
    void anAdminWildcardGrantsNothing() {
        assertEquals(null, EffectiveRoles.combine(Map.of(), Map.of("hacked", Role.Admin)).get("hacked"));
    }
}
