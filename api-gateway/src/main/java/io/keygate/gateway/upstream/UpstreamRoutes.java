package io.keygate.gateway.upstream;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.auth.IdentityHeaderNames;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.web.RouteTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the configured {@code upstreams[]}: each prefix is forwarded, streaming, to its service
 * once the access filter has decided the request with the route's policy (see
 * {@link io.keygate.gateway.auth.PolicyRouting}); the service gets the gateway's identity headers.
 */
public final class UpstreamRoutes implements RouteModule {

    /** Every method a policy can name (HEAD is decided as GET). */
    public static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.OPTIONS);

    private final List<UpstreamRoute> routes;
    private final IdentityHeaderNames identity;

    public UpstreamRoutes(List<UpstreamRoute> routes, IdentityHeaderNames identity) {
        this.routes = List.copyOf(routes);
        this.identity = identity;
    }

    @Override
    public void register(RoutesConfig config) {
        for (UpstreamRoute route : routes) {
            UpstreamProxy proxy = new UpstreamProxy("upstream " + route.prefix(), route.settings(), identity);
            for (HandlerType method : METHODS) {
                config.addHttpHandler(method, route.prefix(), ctx -> forward(ctx, route, proxy));
                config.addHttpHandler(method, route.prefix() + "/<rest>", ctx -> forward(ctx, route, proxy));
            }
        }
    }

    @Override
    public List<RouteTable.Route> documentedRoutes() {
        List<RouteTable.Route> out = new ArrayList<>();
        for (UpstreamRoute route : routes) {
            for (HandlerType method : METHODS) {
                String summary = "Forward to the upstream " + route.settings().url().getHost() + " (policy first)";
                out.add(new RouteTable.Route(method, route.prefix(), summary, "upstream", 200));
                out.add(new RouteTable.Route(method, route.prefix() + "/<rest>", summary, "upstream", 200));
            }
        }
        return out;
    }

    private void forward(Context ctx, UpstreamRoute route, UpstreamProxy proxy) throws IOException {
        String rawPath = ctx.req().getRequestURI();
        if (!route.covers(rawPath)) {
            throw io.keygate.core.ApiException.badRequest("the request path must name " + route.prefix() + " literally");
        }
        String upstreamPath = route.stripPrefix() ? rawPath.substring(Math.min(rawPath.length(), route.prefix().length())) : rawPath;
        Principal principal = ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
        String workspace = ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE);
        proxy.forward(ctx, route.settings().target(upstreamPath.isEmpty() ? "/" : upstreamPath, ctx.queryString()),
                identity.describe(principal, workspace));
    }
}
