package io.keygate.gateway.guard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The request a proxy asks {@code /forward-auth} about, read from the headers (or, for Envoy, the
 * path) the proxy sends:
 * <ul>
 *   <li>{@link Convention#NGINX}: {@code X-Original-Method} and {@code X-Original-URI} (nginx {@code auth_request}
 *       with {@code proxy_set_header});</li>
 *   <li>{@link Convention#FORWARDED}: {@code X-Forwarded-Method} and {@code X-Forwarded-Uri} (Traefik ForwardAuth,
 *       Caddy {@code forward_auth});</li>
 *   <li>{@link Convention#ENVOY}: Envoy's HTTP {@code ext_authz}, the original path appended to the configured
 *       prefix, the original method as the request's.</li>
 * </ul>
 * The host is {@code X-Forwarded-Host}, else {@code Host}.
 *
 * <p>Security contract: a proxy passes the client's own headers on with its subrequest, so a client can send
 * another convention's headers. Therefore every enabled convention that is present must name the same method
 * and URI, or the request is refused (400): a client cannot get a write decided as a read by adding
 * {@code X-Original-*} headers behind Traefik. Deployments pin their proxy's convention
 * ({@code forwardAuth.conventions}) to ignore the others entirely. Missing, partial or garbled input is
 * {@link BadOriginalRequest} (400), never a guess.
 *
 * @param method upper-case HTTP method
 * @param path   raw (still percent-encoded) absolute path
 * @param query  raw query, or null
 * @param host   host without port, lower case, or empty
 */
public record OriginalRequest(String method, String path, String query, String host) {

    /** How a proxy tells the original request. */
    public enum Convention {
        NGINX, FORWARDED, ENVOY;

        public static Convention parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "nginx" -> NGINX;
                case "forwarded", "traefik", "caddy" -> FORWARDED;
                case "envoy" -> ENVOY;
                default -> throw new IllegalArgumentException("unknown forward-auth convention '" + name
                        + "' (nginx, forwarded, envoy)");
            };
        }
    }

    /** Refused input: answered 400 with the message as detail. */
    public static final class BadOriginalRequest extends RuntimeException {
        public BadOriginalRequest(String detail) {
            super(detail, null, false, false);
        }
    }

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final int MAX_URI = 8192;

    /**
     * Reads the original request.
     *
     * @param requestMethod the method of the request to {@code /forward-auth}
     * @param requestPath   its raw path
     * @param requestQuery  its raw query, or null
     * @param headers       header lookup by name (case-insensitive), null when absent
     * @param envoyPrefix   the path prefix Envoy's requests arrive under ({@code /forward-auth/envoy})
     * @param enabled       the conventions to read
     */
    public static OriginalRequest read(String requestMethod, String requestPath, String requestQuery, Function<String, String> headers,
                                       String envoyPrefix, Set<Convention> enabled) {
        Map<Convention, String[]> seen = new LinkedHashMap<>();
        if (enabled.contains(Convention.ENVOY) && (requestPath.equals(envoyPrefix) || requestPath.startsWith(envoyPrefix + "/"))) {
            String path = requestPath.substring(envoyPrefix.length());
            seen.put(Convention.ENVOY, new String[] {requestMethod, (path.isEmpty() ? "/" : path)
                    + (requestQuery == null ? "" : "?" + requestQuery)});
        }
        if (enabled.contains(Convention.NGINX)) {
            pair(seen, Convention.NGINX, headers, "X-Original-Method", "X-Original-URI");
        }
        if (enabled.contains(Convention.FORWARDED)) {
            pair(seen, Convention.FORWARDED, headers, "X-Forwarded-Method", "X-Forwarded-Uri");
        }
        if (seen.isEmpty()) {
            throw new BadOriginalRequest("no original request: send X-Original-Method and X-Original-URI (nginx), "
                    + "X-Forwarded-Method and X-Forwarded-Uri (Traefik, Caddy), or call " + envoyPrefix + "/<path> (Envoy)");
        }
        String[] first = seen.values().iterator().next();
        for (Map.Entry<Convention, String[]> other : seen.entrySet()) {
            if (!first[0].equalsIgnoreCase(other.getValue()[0]) || !first[1].equals(other.getValue()[1])) {
                throw new BadOriginalRequest("conflicting original-request headers: " + describe(seen)
                        + " name different requests; the proxy must send one convention");
            }
        }
        return of(first[0], first[1], host(headers));
    }

    /** A request from a method and a request target ({@code /path?query}, or absolute-form). */
    static OriginalRequest of(String method, String target, String host) {
        return new OriginalRequest(method(method), path(target), query(target), host);
    }

    private static void pair(Map<Convention, String[]> seen, Convention convention, Function<String, String> headers,
                             String methodHeader, String uriHeader) {
        String method = headers.apply(methodHeader);
        String uri = headers.apply(uriHeader);
        if (method == null && uri == null) {
            return;
        }
        if (method == null || uri == null) {
            throw new BadOriginalRequest((method == null ? methodHeader : uriHeader) + " is missing (" + convention.name().toLowerCase(Locale.ROOT)
                    + " convention: both " + methodHeader + " and " + uriHeader + " are required)");
        }
        seen.put(convention, new String[] {method.trim(), uri.trim()});
    }

    private static String describe(Map<Convention, String[]> seen) {
        StringBuilder out = new StringBuilder();
        seen.forEach((convention, request) -> out.append(out.length() == 0 ? "" : ", ")
                .append(convention.name().toLowerCase(Locale.ROOT)).append(' ').append(printable(request[0])).append(' ')
                .append(printable(request[1])));
        return out.toString();
    }

    static String method(String method) {
        String upper = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new BadOriginalRequest("the original method '" + printable(method) + "' is not one of " + String.join(", ", new java.util.TreeSet<>(METHODS)));
        }
        return upper;
    }

    /** The raw path of a request target; absolute-form ({@code http://host/path}) is accepted. */
    private static String path(String target) {
        String relative = relative(target);
        int query = relative.indexOf('?');
        return query < 0 ? relative : relative.substring(0, query);
    }

    private static String query(String target) {
        String relative = relative(target);
        int query = relative.indexOf('?');
        return query < 0 || query == relative.length() - 1 ? null : relative.substring(query + 1);
    }

    private static String relative(String target) {
        if (target.isEmpty() || target.length() > MAX_URI) {
            throw new BadOriginalRequest("the original URI must be 1 to " + MAX_URI + " characters long");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\') {
                throw new BadOriginalRequest("the original URI '" + printable(target) + "' contains a character a request target cannot hold");
            }
        }
        if (target.startsWith("/")) {
            if (target.startsWith("//")) {
                throw new BadOriginalRequest("the original URI must be a path, not '" + printable(target) + "'");
            }
            return target;
        }
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            try {
                URI uri = new URI(target);
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            } catch (URISyntaxException e) {
                throw new BadOriginalRequest("the original URI '" + printable(target) + "' is not a valid URI");
            }
        }
        throw new BadOriginalRequest("the original URI must start with '/', got '" + printable(target) + "'");
    }

    private static String host(Function<String, String> headers) {
        String host = Objects.requireNonNullElse(headers.apply("X-Forwarded-Host"), Objects.requireNonNullElse(headers.apply("Host"), ""));
        if (host.indexOf(',') >= 0) {
            throw new BadOriginalRequest("X-Forwarded-Host must name one host, got '" + printable(host) + "'");
        }
        host = host.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x21-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
