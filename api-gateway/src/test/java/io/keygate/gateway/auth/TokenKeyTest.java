package io.keygate.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenKeyTest {

    private static final String TAIL = "s".repeat(TokenKey.HASHED_CHARS);

    @Test
    void equalOnlyForTheIdenticalToken() {
        String token = "header.payload." + TAIL;
        assertEquals(TokenKey.of(token), TokenKey.of(new String(token.toCharArray())));
        assertNotEquals(TokenKey.of(token), TokenKey.of("header.payloaD." + TAIL), "same tail, other payload");
        assertNotEquals(TokenKey.of(token), TokenKey.of("header.payload." + TAIL.substring(1) + "t"), "other signature");
        assertNotEquals(TokenKey.of(token), TokenKey.of(token + "x"));
    }

    @Test
    void tokensSharingTheHashedTailShareABucketNeverAnEntry() {
        Map<TokenKey, String> map = new HashMap<>();
        map.put(TokenKey.of("a.b." + TAIL), "first");
        map.put(TokenKey.of("a.c." + TAIL), "second");
        assertEquals(TokenKey.of("a.b." + TAIL).hashCode(), TokenKey.of("a.c." + TAIL).hashCode());
        assertEquals(2, map.size());
        assertEquals("first", map.get(TokenKey.of("a.b." + TAIL)));
        assertEquals("second", map.get(TokenKey.of("a.c." + TAIL)));
    }

    @Test
    void shortTokensAreHashedWhole() {
        assertNotEquals(TokenKey.of("a").hashCode(), TokenKey.of("b").hashCode());
        assertEquals(TokenKey.of(""), TokenKey.of(""));
    }
}
