package io.keygate.gateway.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Headers that must never travel from the client to an upstream service: the quickstart
 * identity header (an upstream might trust it) and hop-by-hop headers.
 */
public final class UpstreamHeaders {

    private static final Set<String> STRIPPED = Set.of(
            DevPrincipalResolver.HEADER.toLowerCase(Locale.ROOT), "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private UpstreamHeaders() {
    }

    /** A copy of {@code headers} without the identity header and hop-by-hop headers (names compared case-insensitively). */
    public static Map<String, List<String>> forUpstream(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (!isStripped(name)) {
                out.put(name, List.copyOf(values));
            }
        });
        return out;
    }

    /** True for a header name that must not be forwarded. */
    public static boolean isStripped(String name) {
        return STRIPPED.contains(name.toLowerCase(Locale.ROOT));
    }
}
