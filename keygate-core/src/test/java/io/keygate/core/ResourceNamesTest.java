package io.keygate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"my-model", "llama-3.2-3b", "test-config-v1", "ab", "a1", "user@example.com", "a+b_c.d",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"})
    void acceptsNamesThatFollowEveryRule(String name) {
        assertTrue(ResourceNames.isValid(name), name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1abc|start with a lowercase letter",
            "-abc|start with a lowercase letter",
            "Abc|start with a lowercase letter",
            "a|2-63 characters",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl|2-63 characters",
            "ab cd|may contain only",
            "abC|may contain only",
            "a/b|may contain only",
            "ab--cd|consecutive hyphens",
            "abc-|end with a hyphen"})
    void rejectsEachBrokenRuleWithItsReason(String name, String reason) {
        assertFalse(ResourceNames.isValid(name), name);
        String message = ResourceNames.violation(name).orElseThrow();
        assertTrue(message.contains(reason), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Viewer", "Editor", "Admin"})
    void parsesRoleNamesExactly(String name) {
        assertEquals(name, Role.parse(name).orElseThrow().name());
        assertTrue(Role.parse(name.toLowerCase()).isEmpty());
    }
}
