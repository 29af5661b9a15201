package io.keygate.gateway.web;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;

/**
 * A group of routes plugged into the gateway. Every route registered here sits behind the
 * authentication and policy before-handler; handlers find the verified caller in the context
 * attributes {@link io.keygate.gateway.auth.RequestContext}.
 */
@FunctionalInterface
public interface RouteModule {

    void register(RoutesConfig routes);

    /** The routes this module serves, for the OpenAPI document of a module that publishes one; none by default. */
    default java.util.List<RouteTable.Route> documentedRoutes() {
        return java.util.List.of();
    }

    /** Routes other modules serve, before {@link #register}, for a module that documents the whole API; ignored by default. */
    default void documentAlso(java.util.List<RouteTable.Route> routes) {
    }

    /**
     * Before {@link #register}: what says, per configured issuer, whether its signing keys are cached
     * (for a module that reports readiness); ignored by default.
     */
    default void signingKeys(java.util.function.Supplier<java.util.Map<String, Boolean>> cached) {
    }

    /** Called once the server listens (for example to report on its thread pool); nothing by default. */
    default void started(Javalin javalin) {
    }
}
