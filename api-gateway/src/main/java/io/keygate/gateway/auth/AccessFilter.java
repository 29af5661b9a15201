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

    /** Context attribute: nanoseconds spent authenticating and deciding (read by the metrics). */
    public static final String DURATION_NANOS = "keygate.auth_nanos";

    private final RequestAuthorizer authorizer;
    private final PolicyRouting routing;

    public AccessFilter(RequestAuthorizer authorizer) {
        this(authorizer, PolicyRouting.NONE);
    }

    /** @param routing names the policy for upstream prefixes, and the routes that decide for themselves */
    public AccessFilter(RequestAuthorizer authorizer, PolicyRouting routing) {
        this.authorizer = authorizer;
        this.routing = routing;
    }

    @Override
    public void handle(Context ctx) {
        PolicyRouting.Route route = routing.route(ctx.path());
        if (route != null && route.selfDeciding()) {
            return;
        }
        long started = System.nanoTime();
        RequestAuthorizer.Authorized result;
        try {
            String authorization = ctx.header("Authorization");
            String devPrincipal = ctx.header(DevPrincipalResolver.HEADER);
            result = route == null
                    ? authorizer.authorize(ctx.req().getMethod(), ctx.path(), authorization, devPrincipal)
                    : authorizer.authorize(ctx.req().getMethod(), route.decidedPath(), authorization, devPrincipal, route.policy(),
                            route.publicPaths());
        } finally {
            ctx.attribute(DURATION_NANOS, System.nanoTime() - started);
        }
        if (result.principal() != null) {
            ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE, result.principal());
        }
        if (result.token() != null) {
            ctx.attribute(RequestContext.TOKEN_ATTRIBUTE, result.token());
        }
        if (result.workspace() != null) {
            ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE, result.workspace());
        }
    }
}
