package io.keygate.gateway.upstream;

import io.keygate.core.ApiException;
import java.net.URI;
import java.time.Duration;

/**
 * One upstream service the gateway forwards to.
 *
 * @param url                  base URL; the forwarded path is appended to its path
 * @param forwardAuthorization pass the caller's {@code Authorization} header on (off by default: the
 *                             caller's token is meant for the gateway, not for the service behind it)
 * @param forwardDevHeaders    pass NeMo Platform's {@code X-NMP-Principal-*} headers on (off by default:
 *                             a service in quickstart mode would trust them)
 * @param connectTimeout       how long to wait for the TCP connection (504 after)
 * @param readTimeout          how long to wait for the upstream's response headers (504 after); a
 *                             streamed body may then take as long as it takes
 */
public record UpstreamSettings(URI url, boolean forwardAuthorization, boolean forwardDevHeaders, Duration connectTimeout,
                               Duration readTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(10);

    public UpstreamSettings {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("must be an http(s) URL without query or fragment, got '" + url + "'");
        }
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    }

    /**
     * The upstream URI for a request path (raw, already percent-encoded, starting with {@code /} or
     * empty) and raw query (null for none).
     */
    public URI target(String rawPath, String rawQuery) {
        String base = url.toString().replaceAll("/+$", "");
        String path = rawPath == null || rawPath.isEmpty() ? "" : (rawPath.startsWith("/") ? rawPath : "/" + rawPath);
        try {
            return URI.create(base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        } catch (IllegalArgumentException notAUri) {
            // e.g. a "{" the client's HTTP library left unencoded (found by the schema-driven fuzzer)
            throw ApiException.badRequest("the path or query to forward is not a valid URI");
        }
    }
}
