package io.keygate.gateway.health;

import io.javalin.config.RoutesConfig;
import io.keygate.gateway.web.RouteModule;

/** {@code /healthz}: the process is up. Public (listed in {@code auth.publicPaths}). */
public final class HealthRoutes implements RouteModule {

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
    }
}
