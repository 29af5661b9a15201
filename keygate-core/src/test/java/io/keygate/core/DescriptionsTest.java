package io.keygate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DescriptionsTest {

    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void aWorkspaceDescriptionMayHave255CodeUnitsAndNotOneMore() {
        assertEquals(Optional.empty(), Descriptions.WORKSPACE.violation("a".repeat(255)));
        assertEquals(Optional.empty(), Descriptions.WORKSPACE.violation("é".repeat(255)));
        String problem = Descriptions.WORKSPACE.violation("a".repeat(256)).orElseThrow();
        assertTrue(problem.contains("at most 255") && problem.contains("got 256"), problem);
    }

    @Test
    void anEmojiCountsTwoAsInH2() {
        assertEquals(Optional.empty(), Descriptions.WORKSPACE.violation(EMOJI.repeat(127)));
        assertTrue(Descriptions.WORKSPACE.violation(EMOJI.repeat(128)).orElseThrow().contains("got 256"));
    }

    @Test
    void aResourceDescriptionMayHave4000() {
        assertEquals(Optional.empty(), Descriptions.RESOURCE.violation("a".repeat(4000)));
        assertTrue(Descriptions.RESOURCE.violation("a".repeat(4001)).orElseThrow().contains("at most 4000"));
        assertTrue(Descriptions.RESOURCE.violation("a".repeat(70_000)).orElseThrow().contains("got 70000"));
    }

    @Test
    void textNoDatabaseKeepsUnchangedIsRefused() {
        assertTrue(Descriptions.WORKSPACE.violation("a\u0000b").orElseThrow().contains("NUL"));
        assertTrue(Descriptions.WORKSPACE.violation("a\uD83D").orElseThrow().contains("unpaired surrogate at index 1"));
        assertTrue(Descriptions.WORKSPACE.violation("\uDE00a").orElseThrow().contains("unpaired surrogate at index 0"));
        assertEquals(Optional.empty(), Descriptions.WORKSPACE.violation(""));
        assertEquals(Optional.empty(), Descriptions.WORKSPACE.violation(null));
    }

    @Test
    void requireThrows422NamingTheLimit() {
        ApiException e = assertThrows(ApiException.class, () -> Descriptions.WORKSPACE.require("x".repeat(300)));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("255"), e.detail());
        assertEquals("ok", Descriptions.WORKSPACE.require("ok"));
    }
}
