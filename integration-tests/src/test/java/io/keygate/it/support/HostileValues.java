package io.keygate.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile inputs for fuzzing an HTTP JSON API: strings, wrong JSON types, broken bodies,
 * path segments and query values as sent on the wire. Every pick comes from one {@link Random}, so
 * a run is reproduced exactly by its seed.
 */
public final class HostileValues {

    private static final String EMOJI = "\uD83D\uDE00";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings for any text field: lengths around every limit, NUL, lone surrogates, injection, control characters. */
    public static final List<String> STRINGS = List.of(
            "", " ", "a", "ab", "A", "Admin", "viewer", "*", "@", "a@b.c", "null", "true", "0", "-1", "1e309",
            "a".repeat(63), "a".repeat(64), "a".repeat(255), "a".repeat(256), "é".repeat(256), EMOJI.repeat(128),
            "a".repeat(4001), "a".repeat(70_000), "\u0000", "ws\u0000x", "\uD800", "a\uDFFF", EMOJI, "é", "\u202Eevil",
            "\u200B", "İ", "'; DROP TABLE KEYCLOAK_GROUP;--", "\" OR \"1\"=\"1", "../../etc/passwd", "..;", "%00",
            "%2e%2e%2f", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "\r\nX-Injected: 1", "\t", "\\", "/",
            "a--b", "ab-", "UPPER", "user@example.com ", " leading@example.com");

    /** Values of the wrong JSON type for a field that wants a string (or a list of strings). */
    public static final List<JsonNode> WRONG_TYPES = List.of(
            NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1e308), NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
            NODES.booleanNode(true), NODES.nullNode(), NODES.arrayNode(), NODES.arrayNode().add("Admin"),
            NODES.arrayNode().add(1).add(NODES.nullNode()), NODES.objectNode(), NODES.objectNode().put("a", 1),
            NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode())));

    /** Whole request bodies that are not the JSON object a route expects. */
    public static final List<String> BROKEN_BODIES = List.of(
            "", " ", "not json", "{", "}", "[]", "null", "\"text\"", "123", "{\"a\":", "{\"name\":}", "{'name':'x'}",
            "{\"name\":\"x\",\"name\":\"y\"}", "[" .repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "{\"roles\":[" + "\"Viewer\",".repeat(5000) + "\"Viewer\"]}", "\uFEFF{}", "{\"description\":\"\\ud800\"}",
            "{\"description\":\"\\u0000\"}", "{\"name\":1e999999}");

    /** Path segments exactly as they go on the wire (already percent-encoded or deliberately not). */
    public static final List<String> SEGMENTS = List.of(
            "%00", "a%00b", "..;", "..", ".", "%2e%2e", "%2e", "%2F", "a%2Fb", "%ZZ", "%C3%28", "%C3%A9", "a".repeat(300),
            "*", "%2A", "a@b.c", "ws;x=1", "%20", "~", "A", "UPPER", "-", "a--b", "%3Cscript%3E", "%E2%80%AE", "%F0%9F%98%80",
            "%25", "%", "+", "null", "%5C", "%0d%0aX:1", "%3B", "%3F", "%23", "ab", "no-such-ws");

    /** Query values as they go on the wire. */
    public static final List<String> QUERY_VALUES = List.of(
            "0", "-1", "1", "1001", "1000", "99999999999999999999", "abc", "", "%00", "1e3", "%2Bcreated_at", "-updated_at",
            "created_at", "name", "%ZZ", "x".repeat(5000), "created_at%00", "true", "TRUE", "%F0%9F%98%80", "1%20OR%201=1", "%C3%28");

    private final Random random;

    public HostileValues(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A hostile value for a string field: mostly a hostile string, sometimes a wrong type. */
    public JsonNode hostileField() {
        return random.nextInt(3) == 0 ? pick(WRONG_TYPES) : NODES.textNode(pick(STRINGS));
    }

    /** True with probability {@code percent}/100. */
    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** Serialises with every non-ASCII character escaped, so lone surrogates and NUL reach the server intact. */
    public static String escapedJson(ObjectMapper mapper, JsonNode body) {
        try {
            return mapper.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
