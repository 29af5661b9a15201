package io.keygate.gateway.auth;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The one definition of the request-context attributes the gateway sets and reads: what
 * authentication left on the request (the verified {@link Principal}, the raw bearer token, the
 * workspace the policy decided on) and what the audit needs to record a refused or forwarded request.
 * Only the access filter and the forward-auth route write the caller attributes; handlers read them
 * through the accessors here.
 */
public final class RequestContext {

    /** The verified {@link Principal} the policy allowed. */
    public static final String PRINCIPAL_ATTRIBUTE = "keygate.principal";
    /** The raw bearer token (forwarded to the extension, never logged). */
    public static final String TOKEN_ATTRIBUTE = "keygate.token";
    /** The workspace the policy decided on. */
    public static final String WORKSPACE_ATTRIBUTE = "keygate.workspace";
    /** The verified {@link Principal} the policy refused: for the audit only, never a caller to act for. */
    public static final String REFUSED_PRINCIPAL_ATTRIBUTE = "keygate.refused_principal";
    /** The request the audit records when it is not this one (a forward-auth decision's original request). */
    public static final String AUDITED_METHOD_ATTRIBUTE = "keygate.audited_method";
    public static final String AUDITED_PATH_ATTRIBUTE = "keygate.audited_path";
    public static final String AUDITED_QUERY_ATTRIBUTE = "keygate.audited_query";

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
