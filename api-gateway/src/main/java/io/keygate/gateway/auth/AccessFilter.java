package io.keygate.gateway.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.keygate.gateway.GatewayApp;

/**
 * The before-handler in front of every route: authenticates, asks the policy, and stores the
 * verified principal, the raw token and the decided workspace on the context. On failure it
 * throws {@link AuthFailure}, which {@link GatewayApp} turns into the response; no route runs.
 */
public final class AccessFilter implements Handler {

    private final RequestAuthorizer authorizer;

    public AccessFilter(RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void handle(Context ctx) {
        RequestAuthorizer.Authorized result = authorizer.authorize(ctx.req().getMethod(), ctx.path(),
                ctx.header("Authorization"), ctx.header(DevPrincipalResolver.HEADER));
        if (result.principal() != null) {
            ctx.attribute(GatewayApp.PRINCIPAL, result.principal());
        }
        if (result.token() != null) {
            ctx.attribute(GatewayApp.TOKEN, result.token());
        }
        if (result.workspace() != null) {
            ctx.attribute(GatewayApp.WORKSPACE, result.workspace());
        }
    }
}
