package io.keygate.gateway.web;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code route} label of a request in the metrics: the path pattern of the route that answered
 * it (bounded cardinality: a registered pattern or {@value #UNMATCHED}, never the raw path).
 *
 * <p>When a handler ran, Javalin already knows the matched endpoint and nothing is matched again.
 * Only a request no handler ran for (refused by the access filter, or no such route) is matched
 * here, against patterns compiled once when the routes were registered.
 */
public final class RouteLabels {

    public static final String UNMATCHED = "unmatched";
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}|<[^>/]+>");

    private record Compiled(String method, String path, Pattern pattern) {
    }

    private final List<Compiled> routes;

    public RouteLabels(List<RouteTable.Route> routes) {
        List<Compiled> compiled = new ArrayList<>(routes.size());
        for (RouteTable.Route route : routes) {
            compiled.add(new Compiled(route.method().name(), route.path(), pattern(route.path())));
        }
        this.routes = List.copyOf(compiled);
    }

    /** The label for a request that has been answered. */
    public String of(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) {
            return endpoint.path;
        }
        return match(ctx.method().name(), ctx.path());
    }

    /** The registered pattern {@code method path} matches, or {@value #UNMATCHED}. */
    public String match(String method, String path) {
        for (Compiled route : routes) {
            if (route.method().equals(method) && route.pattern().matcher(path).matches()) {
                return route.path();
            }
        }
        return UNMATCHED;
    }

    /** Javalin's syntax as a regex: {@code {param}} is one segment, {@code <rest>} any suffix. */
    private static Pattern pattern(String routePath) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(routePath);
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(routePath.substring(last, parameter.start())));
            regex.append(parameter.group().startsWith("{") ? "[^/]+" : ".+");
            last = parameter.end();
        }
        regex.append(Pattern.quote(routePath.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
