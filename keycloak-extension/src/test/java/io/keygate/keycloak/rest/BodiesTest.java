package io.keygate.keycloak.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.Role;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class BodiesTest {

    private final Bodies bodies = new Bodies(new ObjectMapper());

    @Test
    void malformedJsonIs400AndWrongShapesAre422() {
        assertEquals(400, assertThrows(ApiException.class, () -> bodies.object("{nope")).status());
        assertEquals(400, assertThrows(ApiException.class, () -> bodies.object("  ")).status());
        assertEquals(422, assertThrows(ApiException.class, () -> bodies.object("[]")).status());
        assertEquals(422, assertThrows(ApiException.class, () -> bodies.object("\"text\"")).status());
    }

    @Test
    void rolesMustBeAKnownNonEmptyList() {
        assertEquals(EnumSet.of(Role.Viewer, Role.Admin), Bodies.roles(bodies.object("{\"roles\": [\"Admin\", \"Viewer\"]}")));
        for (String bad : new String[] {"{}", "{\"roles\": []}", "{\"roles\": \"Admin\"}", "{\"roles\": [1]}",
                "{\"roles\": [\"admin\"]}", "{\"roles\": [\"Owner\"]}", "{\"roles\": null}"}) {
            assertEquals(422, assertThrows(ApiException.class, () -> Bodies.roles(bodies.object(bad))).status(), bad);
        }
    }

    @Test
    void aMemberCreateWithoutRolesGetsEditorButBadRolesStay422() {
        assertEquals(EnumSet.of(Role.Editor), Bodies.rolesOrDefault(bodies.object("{\"principal\": \"bob@example.com\"}")));
        assertEquals(EnumSet.of(Role.Editor), Bodies.rolesOrDefault(bodies.object("{\"roles\": null}")));
        assertEquals(EnumSet.of(Role.Viewer), Bodies.rolesOrDefault(bodies.object("{\"roles\": [\"Viewer\"]}")));
        for (String bad : new String[] {"{\"roles\": []}", "{\"roles\": \"Admin\"}", "{\"roles\": [\"Owner\"]}"}) {
            assertEquals(422, assertThrows(ApiException.class, () -> Bodies.rolesOrDefault(bodies.object(bad))).status(), bad);
        }
    }

    @Test
    void stringFieldsAreTypeChecked() {
        assertEquals("ml-team", Bodies.requiredString(bodies.object("{\"name\": \"ml-team\"}"), "name"));
        assertEquals(422, assertThrows(ApiException.class, () -> Bodies.requiredString(bodies.object("{}"), "name")).status());
        assertEquals(422, assertThrows(ApiException.class,
                () -> Bodies.optionalString(bodies.object("{\"description\": 3}"), "description")).status());
        assertEquals("", Bodies.optionalString(bodies.object("{\"description\": \"\"}"), "description").orElseThrow());
    }
}
