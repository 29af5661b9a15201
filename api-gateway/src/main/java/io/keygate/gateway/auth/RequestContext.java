package io.keygate.gateway.auth;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * Reads what authentication left on the request: the verified {@link Principal} under
 * {@code "keygate.principal"} and the raw bearer token under {@code "keygate.token"}.
 */
public final class RequestContext {

    public static final String PRINCIPAL_ATTRIBUTE = "keygate.principal";
    public static final String TOKEN_ATTRIBUTE = "keygate.token";
    public static final String WORKSPACE_ATTRIBUTE = "keygate.workspace";

    /** Recorded as the actor when authentication is switched off. */
    public static final String ANONYMOUS = "anonymous";

    private RequestContext() {
    }

    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL_ATTRIBUTE));
    }

    public static Optional<String> token(Context ctx) {
        return Optional.ofNullable(ctx.attribute(TOKEN_ATTRIBUTE));
    }

    /** Who to record as creator / updater: the principal's id, or {@code anonymous} without auth. */
    public static String id(Context ctx) {
        return principal(ctx).map(Principal::id).orElse(ANONYMOUS);
    }
}
