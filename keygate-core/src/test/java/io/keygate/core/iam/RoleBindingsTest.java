package io.keygate.core.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoleBindingsTest {

    @Test
    void nameRoundTripsToTheRowId() {
        String id = UUID.randomUUID().toString();
        String name = RoleBindings.nameOf(id);
        assertEquals(35, name.length());
        assertTrue(name.startsWith("rb-"));
        assertEquals(id, RoleBindings.rowIdOf(name).orElseThrow());
    }

    @Test
    void foreignNamesStandForNoRow() {
        assertTrue(RoleBindings.rowIdOf("rb-1234").isEmpty());
        assertTrue(RoleBindings.rowIdOf("rb-" + "G".repeat(32)).isEmpty());
        assertTrue(RoleBindings.rowIdOf("../../admin").isEmpty());
        assertTrue(RoleBindings.rowIdOf(null).isEmpty());
    }
}
