package io.keygate.keycloak.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.core.ApiException;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;

/** The failure chains Keycloak's JPA layer raises on flush or commit (Hibernate wraps the driver's SQLException). */
class PersistenceFailuresTest {

    private static final String H2_TOO_LONG = "Value too long for column \"DESCRIPTION CHARACTER VARYING(255)\": \"'aaaa' (256)\"; "
            + "SQL statement: update KEYCLOAK_GROUP set DESCRIPTION=? where ID=?";

    @Test
    void aValueTooLongAtCommitIs422WithoutTheDatabaseMessage() {
        ApiException e = PersistenceFailures.clientError(
                new ModelException("commit failed", new PersistenceException(new SQLException(H2_TOO_LONG, "22001")))).orElseThrow();
        assertEquals(422, e.status());
        assertFalse(e.detail().contains("KEYCLOAK_GROUP") || e.detail().contains("SQL"), e.detail());
    }

    @Test
    void aCharacterPostgresCannotStoreIs422() {
        assertEquals(422, PersistenceFailures.clientError(
                new PersistenceException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"))).orElseThrow().status());
    }

    @Test
    void aUniqueKeyRaceIs409() {
        ApiException e = PersistenceFailures.clientError(new RuntimeException("commit failed",
                new PersistenceException(new SQLException("Unique index or primary key violation: INSERT INTO KEYCLOAK_GROUP", "23505"))))
                .orElseThrow();
        assertEquals(409, e.status());
        assertTrue(e.detail().contains("retry") && !e.detail().contains("INSERT"), e.detail());
    }

    @Test
    void keycloaksOwnDuplicateCheckKeepsItsMessageButAConvertedOneDoesNot() {
        assertEquals("Conflicting change: Top level group named 'ml' already exists.", PersistenceFailures.clientError(
                new ModelDuplicateException("Top level group named 'ml' already exists.")).orElseThrow().detail());
        ApiException converted = PersistenceFailures.clientError(new ModelDuplicateException(
                "could not execute statement [insert into GROUP_ATTRIBUTE ...]", new PersistenceException("constraint"))).orElseThrow();
        assertEquals(409, converted.status());
        assertFalse(converted.detail().contains("insert"), converted.detail());
    }

    @Test
    void anythingElseIsNotAnticipated() {
        assertEquals(Optional.empty(), PersistenceFailures.clientError(new IllegalStateException("boom")));
        assertEquals(Optional.empty(), PersistenceFailures.clientError(
                new PersistenceException(new SQLException("Connection refused", "08001"))));
        RuntimeException cycle = new RuntimeException("a");
        RuntimeException other = new RuntimeException("b", cycle);
        cycle.initCause(other);
        assertEquals(Optional.empty(), PersistenceFailures.clientError(cycle));
    }
}
