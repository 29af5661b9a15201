package io.keygate.keycloak.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantTest {

    @Test
    void roundTripsThroughTheAttributeValue() {
        Grant grant = new Grant(Instant.parse("2026-01-20T10:00:00Z"), "admin@example.com");
        assertEquals("2026-01-20T10:00:00Z|admin@example.com", grant.encode());
        assertEquals(Optional.of(grant), Grant.decode(grant.encode()));
    }

    @Test
    void damagedValuesDecodeToNothing() {
        assertTrue(Grant.decode(null).isEmpty());
        assertTrue(Grant.decode("yesterday|bob").isEmpty());
        assertTrue(Grant.decode("no separator").isEmpty());
    }

    @Test
    void earliestGrantIsKept() {
        Grant early = new Grant(Instant.parse("2026-01-01T00:00:00Z"), "a");
        Grant late = new Grant(Instant.parse("2026-02-01T00:00:00Z"), "b");
        assertEquals(early, Grant.earliest(late, early));
        assertEquals(early, Grant.earliest(null, early));
    }
}
