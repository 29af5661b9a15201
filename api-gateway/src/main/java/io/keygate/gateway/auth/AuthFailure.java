package io.keygate.gateway.auth;

/**
 * A request that must not proceed: answered with {@link #status()}, {@code {"detail": ...}} and,
 * when set, a {@code WWW-Authenticate} header (RFC 6750). Never carries a stack trace to the client.
 * A refusal after the caller was identified also names them ({@link #principal()}), for the audit.
 */
public final class AuthFailure extends RuntimeException {

    /** The realm every challenge names. */
    public static final String REALM = "keygate";

    private final int status;
    private final String challenge;
    private final Principal principal;
    private final String workspace;

    private AuthFailure(int status, String detail, String challenge) {
        this(status, detail, challenge, null, null);
    }

    private AuthFailure(int status, String detail, String challenge, Principal principal, String workspace) {
        super(detail, null, false, false);
        this.status = status;
        this.challenge = challenge;
        this.principal = principal;
        this.workspace = workspace;
    }

    /** The same refusal, naming the verified caller it refuses and the workspace it was about (may be null). */
    public AuthFailure refusing(Principal caller, String inWorkspace) {
        return new AuthFailure(status, getMessage(), challenge, caller, inWorkspace);
    }

    /** 401 for a request that sent no credentials at all: a bare challenge without error code. */
    public static AuthFailure noCredentials() {
        return new AuthFailure(401, "authentication required: send Authorization: Bearer <token>", "Bearer realm=\"" + REALM + "\"");
    }

    /** 401 for credentials that were sent but are not acceptable. */
    public static AuthFailure invalidToken(String description) {
        return new AuthFailure(401, "invalid token: " + description,
                "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + quoteSafe(description) + "\"");
    }

    /** 403 for a token whose scopes do not cover the endpoint. */
    public static AuthFailure insufficientScope(String detail, Iterable<String> scopes) {
        return new AuthFailure(403, detail, "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\""
                + quoteSafe(String.join(" ", scopes)) + "\"");
    }

    /** 403 for a caller without the role the endpoint needs. */
    public static AuthFailure forbidden(String detail) {
        return new AuthFailure(403, detail, null);
    }

    public static AuthFailure badRequest(String detail) {
        return new AuthFailure(400, detail, null);
    }

    /** 503 when a dependency needed to establish the caller's roles is unavailable. */
    public static AuthFailure unavailable(String detail) {
        return new AuthFailure(503, detail, null);
    }

    public int status() {
        return status;
    }

    /** The {@code WWW-Authenticate} value, or null. */
    public String challenge() {
        return challenge;
    }

    /** The verified caller who was refused; null when the caller was not identified (401). */
    public Principal principal() {
        return principal;
    }

    /** The workspace the refused request was about, or null. */
    public String workspace() {
        return workspace;
    }

    private static String quoteSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c == '"' || c == '\\' || c < 0x20 || c > 0x7e ? '\'' : c);
        }
        return out.toString();
    }
}
