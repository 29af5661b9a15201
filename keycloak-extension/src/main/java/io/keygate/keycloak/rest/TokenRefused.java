package io.keygate.keycloak.rest;

/**
 * A request whose bearer token the keygate API does not accept: answered 401 with
 * {@code {"detail": ...}} and an RFC 6750 challenge. A request that sent no token gets a bare
 * challenge; one that sent an unacceptable token gets {@code error="invalid_token"} with the
 * reason in {@code error_description}, as the gateway answers.
 */
final class TokenRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Null when no token was sent. */
    private final String description;

    private TokenRefused(String detail, String description) {
        super(detail, null, false, false);
        this.description = description;
    }

    /** No {@code Authorization: Bearer} header at all. */
    static TokenRefused missing(String realm) {
        return new TokenRefused("A valid bearer token for realm '" + realm + "' is required", null);
    }

    /** A token was sent but is not acceptable; {@code description} says why, without secrets. */
    static TokenRefused invalid(String description) {
        return new TokenRefused("invalid token: " + description, description);
    }

    /** The {@code WWW-Authenticate} value for {@code realm}. */
    String challenge(String realm) {
        String challenge = "Bearer realm=\"" + quoteSafe(realm) + "\"";
        return description == null ? challenge
                : challenge + ", error=\"invalid_token\", error_description=\"" + quoteSafe(description) + "\"";
    }

    /** RFC 6750 allows only printable ASCII without {@code "} and {@code \} inside the quoted values. */
    private static String quoteSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c == '"' || c == '\\' || c < 0x20 || c > 0x7e ? '\'' : c);
        }
        return out.toString();
    }
}
