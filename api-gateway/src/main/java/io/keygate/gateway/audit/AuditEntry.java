package io.keygate.gateway.audit;

import java.time.Instant;

/**
 * One audited request. Secrets are already masked (see {@link SecretMasker}) when an entry is built.
 *
 * @param time          when the request finished
 * @param principal     who (email or subject); null when authentication failed or was not attempted
 * @param issuer        the configured issuer (or {@code dev-header}/{@code none}) that vouched for the principal
 * @param method        HTTP method
 * @param path          request path with the query string, secrets masked
 * @param workspace     the workspace the policy decided on, or null
 * @param status        HTTP status answered
 * @param clientAddress the client's IP address
 * @param durationMillis time spent on the request
 * @param outcome       {@code ok}, {@code denied}, {@code unauthenticated} or {@code error}
 */
public record AuditEntry(
        Instant time,
        String principal,
        String issuer,
        String method,
        String path,
        String workspace,
        int status,
        String clientAddress,
        long durationMillis,
        String outcome) {

    /** Outcome label for a status code. */
    public static String outcomeOf(int status) {
        if (status == 401) {
            return "unauthenticated";
        }
        if (status == 403) {
            return "denied";
        }
        return status >= 400 ? "error" : "ok";
    }
}
