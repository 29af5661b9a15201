package io.keygate.gateway.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the gateway's public routes on Javalin and remembers each one (method, path, summary),
 * so the OpenAPI document is built from the very list that was registered.
 */
public final class RouteTable {

    /** One registered route. {@code path} uses Javalin's syntax ({@code {param}}, {@code <rest>}). */
    public record Route(HandlerType method, String path, String summary, String tag, int successStatus) {
    }

    private final RoutesConfig routes;
    private final List<Route> registered = new ArrayList<>();

    public RouteTable(RoutesConfig routes) {
        this.routes = routes;
    }

    public RouteTable add(HandlerType method, String path, String tag, String summary, int successStatus, Handler handler) {
        routes.addHttpHandler(method, path, handler);
        registered.add(new Route(method, path, summary, tag, successStatus));
        return this;
    }

    /** Lists a route another part of the gateway registers (so the document stays complete). */
    public RouteTable document(HandlerType method, String path, String tag, String summary, int successStatus) {
        registered.add(new Route(method, path, summary, tag, successStatus));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(registered);
    }
}
