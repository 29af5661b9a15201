package io.keygate.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.auth.IdentityHeaderNames;
import io.keygate.gateway.auth.Principal;
import io.keygate.core.Role;
import io.keygate.gateway.guard.OriginalRequest.BadOriginalRequest;
import io.keygate.gateway.guard.OriginalRequest.Convention;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reading the proxied request from each proxy's convention; refusing missing, conflicting and garbled input. */
class OriginalRequestTest {

    private static final Set<Convention> ALL = EnumSet.allOf(Convention.class);
    private static final String ENVOY = "/forward-auth/envoy";

    private static OriginalRequest read(String method, String path, String query, Map<String, String> headers, Set<Convention> enabled) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        return OriginalRequest.read(method, path, query, ci::get, ENVOY, enabled);
    }

    private static OriginalRequest read(Map<String, String> headers) {
        return read("GET", "/forward-auth", null, headers, ALL);
    }

    @Test
    void nginxHeaders() {
        OriginalRequest r = read(Map.of("X-Original-Method", "post", "X-Original-URI", "/apis/x/v2/workspaces/ws/models?page=2",
                "X-Forwarded-Host", "Models.Example.com:8443"));
        assertEquals(new OriginalRequest("POST", "/apis/x/v2/workspaces/ws/models", "page=2", "models.example.com"), r);
    }

    @Test
    void traefikAndCaddyHeaders() {
        OriginalRequest r = read(Map.of("X-Forwarded-Method", "DELETE", "X-Forwarded-Uri", "/a/b%40c", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "svc.example.com", "Host", "keygate:8080"));
        assertEquals(new OriginalRequest("DELETE", "/a/b%40c", null, "svc.example.com"), r);
    }

    @Test
    void envoyPathAndMethod() {
        OriginalRequest r = read("PUT", ENVOY + "/apis/models/v2/workspaces/ws/models/m", "x=1", Map.of("Host", "api.example.com"), ALL);
        assertEquals(new OriginalRequest("PUT", "/apis/models/v2/workspaces/ws/models/m", "x=1", "api.example.com"), r);
        assertEquals("/", read("GET", ENVOY, null, Map.of(), ALL).path());
    }

    @Test
    void absoluteFormUriIsReducedToItsPath() {
        OriginalRequest r = read(Map.of("X-Original-Method", "GET", "X-Original-URI", "http://evil.example.com/apis/a?b=c"));
        assertEquals("/apis/a", r.path());
        assertEquals("b=c", r.query());
    }

    @Test
    void forwardedHeadersAddedByTheClientBehindNginxMustAgreeOrTheRequestIsRefused() {
        // behind Traefik a client can add X-Original-* headers; a read must not stand in for a write
        BadOriginalRequest e = assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Forwarded-Method", "POST",
                "X-Forwarded-Uri", "/apis/ws/models", "X-Original-Method", "GET", "X-Original-URI", "/apis/ws/models")));
        assertTrue(e.getMessage().contains("conflicting"), e.getMessage());
        assertThrows(BadOriginalRequest.class, () -> read("POST", ENVOY + "/a", null, Map.of("X-Original-Method", "POST",
                "X-Original-URI", "/b"), ALL));
        // agreeing conventions are fine
        assertEquals("POST", read(Map.of("X-Forwarded-Method", "POST", "X-Forwarded-Uri", "/a", "X-Original-Method", "post",
                "X-Original-URI", "/a")).method());
    }

    @Test
    void aPinnedConventionIgnoresTheOthers() {
        OriginalRequest r = read("GET", "/forward-auth", null, Map.of("X-Forwarded-Method", "POST", "X-Forwarded-Uri", "/a",
                "X-Original-Method", "GET", "X-Original-URI", "/b"), EnumSet.of(Convention.FORWARDED));
        assertEquals("POST", r.method());
        assertEquals("/a", r.path());
        assertThrows(BadOriginalRequest.class, () -> read("GET", ENVOY + "/a", null, Map.of(), EnumSet.of(Convention.NGINX)));
    }

    @Test
    void missingOrHalfConventionsAreRefusedNeverGuessed() {
        assertTrue(assertThrows(BadOriginalRequest.class, () -> read(Map.of())).getMessage().contains("X-Original-URI"));
        // the nginx subrequest is always a GET: without X-Original-Method a write would be decided as a read
        assertTrue(assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Original-URI", "/a"))).getMessage()
                .contains("X-Original-Method is missing"));
        assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Forwarded-Method", "GET")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "apis/x", "//evil.example.com/x", "/a b", "/a\tb", "/a#frag", "/a\\b", "/\u00e9", "ftp://x/y",
            "http://[::1/x"})
    void garbledUrisAreRefused(String uri) {
        assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Original-Method", "GET", "X-Original-URI", uri)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BREW", "GET /x", "", "TRACE", "CONNECT"})
    void unknownMethodsAreRefused(String method) {
        assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Original-Method", method, "X-Original-URI", "/a")));
    }

    @Test
    void overlongUriAndSeveralHostsAreRefused() {
        assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Original-Method", "GET", "X-Original-URI", "/" + "a".repeat(9000))));
        assertThrows(BadOriginalRequest.class, () -> read(Map.of("X-Original-Method", "GET", "X-Original-URI", "/a",
                "X-Forwarded-Host", "a.example.com, b.example.com")));
    }

    @Test
    void identityHeadersAreAllSetAndEveryIdentityLookingClientHeaderIsReserved() {
        IdentityHeaderNames names = IdentityHeaderNames.defaults();
        Principal editor = new Principal("sub-1", "e@example.com", "E", Map.of("ws", Role.Editor), Map.of(), Set.of("models:write", "openid"),
                false, "test");
        Map<String, String> headers = names.describe(editor, "ws");
        assertEquals(Map.of("X-Keygate-Principal", "e@example.com", "X-Keygate-Email", "e@example.com", "X-Keygate-Workspace", "ws",
                "X-Keygate-Role", "Editor", "X-Keygate-Scopes", "models:write openid"), headers);
        Map<String, String> anonymous = names.describe(null, null);
        assertEquals(5, anonymous.size());
        assertTrue(anonymous.values().stream().allMatch(String::isEmpty), anonymous.toString());
        Principal admin = new Principal("sub-2", null, "A", Map.of(), Map.of(), Set.of(), true, "test");
        assertEquals("PlatformAdmin", names.describe(admin, "other").get("X-Keygate-Role"));
        assertEquals("sub-2", names.describe(admin, null).get("X-Keygate-Principal"));
        for (String reserved : new String[] {"x-keygate-principal", "X-KEYGATE-ROLE", "X-Keygate-Anything", "X-NMP-Principal-Id",
                "x-nmp-principal-groups"}) {
            assertTrue(names.isReserved(reserved), reserved);
        }
        assertFalse(names.isReserved("X-Request-Id"));
        IdentityHeaderNames custom = new IdentityHeaderNames("X-User", "X-User-Email", "X-Ws", "X-Ws-Role", "X-User-Scopes");
        assertTrue(custom.isReserved("x-user"));
        assertTrue(custom.isReserved("X-Keygate-Principal"), "the prefix stays reserved when names are changed");
        assertThrows(IllegalArgumentException.class, () -> new IdentityHeaderNames("X User", "a", "b", "c", "d"));
        assertNull(names.describe(null, null).get("X-Other"));
    }
}
