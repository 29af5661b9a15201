package io.keygate.gateway.guard;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.keygate.gateway.auth.RequestContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.auth.AccessFilter;
import io.keygate.gateway.auth.AuthFailure;
import io.keygate.gateway.auth.DevPrincipalResolver;
import io.keygate.gateway.auth.RequestAuthorizer;
import io.keygate.gateway.upstream.UpstreamRoutes;
import io.keygate.gateway.web.RouteTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code /forward-auth}: the external authorizer for nginx {@code auth_request}, Traefik ForwardAuth,
 * Caddy {@code forward_auth} and Envoy's HTTP {@code ext_authz} (docs/guard-existing-services.md).
 *
 * <p>Security contract: the request the proxy asks about ({@link OriginalRequest}) is decided exactly
 * as the gateway decides its own routes, by {@link RequestAuthorizer} (same token verification,
 * freshness judgement, live role refresh, scopes and policy), with the policy of the most specific
 * {@link Guard} for its host and path; no guard covering it is 403. Allowed: 200 with the identity
 * headers, always all of them (empty when unknown), so the proxy overwrites whatever the client sent
 * under those names. Refused: 401 with {@code WWW-Authenticate}, 403 with {@code {"detail"}}, 400 for
 * missing or garbled original-request headers. The audit records the original method and path.
 */
public final class ForwardAuthRoutes implements RouteModule {

    /**
     * On a refusal, the {@code {"detail"}} body again as a header (ASCII-only JSON): nginx's
     * {@code auth_request} drops the subrequest's body, so its {@code error_page} answers this header.
     */
    public static final String ERROR_HEADER = "X-Keygate-Error";

    private static final ObjectMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final GuardSettings settings;
    private final RequestAuthorizer authorizer;

    public ForwardAuthRoutes(GuardSettings settings, RequestAuthorizer authorizer) {
        this.settings = settings;
        this.authorizer = authorizer;
    }

    /**
     * Opens {@code forwardAuth.port} once the gateway listens: a second connector of the same server
     * (same host, same HTTP settings), on which only the forward-auth paths are served.
     */
    @Override
    public void started(Javalin javalin) {
        if (settings.port() <= 0) {
            return;
        }
        Server server = javalin.jettyServer().server();
        ServerConnector main = (ServerConnector) server.getConnectors()[0];
        HttpConfiguration http = main.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setName("forward-auth");
        connector.setHost(main.getHost());
        connector.setPort(settings.port());
        server.addConnector(connector);
        try {
            connector.start();
        } catch (Exception e) {
            throw new io.keygate.gateway.config.ConfigException("forwardAuth.port " + settings.port() + " cannot be opened: " + e.getMessage(), e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        if (settings.port() > 0) {
            GuardRouting paths = new GuardRouting(settings);
            routes.before(ctx -> {
                if (ctx.req().getLocalPort() == settings.port() && !paths.isForwardAuth(ctx.path())) {
                    throw new HttpResponseException(404, "port " + settings.port() + " serves only " + GuardSettings.PATH);
                }
            });
        }
        for (HandlerType method : UpstreamRoutes.METHODS) {
            routes.addHttpHandler(method, GuardSettings.PATH, this::decide);
            routes.addHttpHandler(method, settings.envoyPrefix(), this::decide);
            routes.addHttpHandler(method, settings.envoyPrefix() + "/<path>", this::decide);
        }
    }

    @Override
    public List<RouteTable.Route> documentedRoutes() {
        List<RouteTable.Route> out = new ArrayList<>();
        for (HandlerType method : UpstreamRoutes.METHODS) {
            out.add(new RouteTable.Route(method, GuardSettings.PATH, "Decide a proxied request (nginx auth_request, Traefik, Caddy)",
                    "forward-auth", 200));
            out.add(new RouteTable.Route(method, settings.envoyPrefix(), "Decide a proxied request (Envoy ext_authz)", "forward-auth", 200));
            out.add(new RouteTable.Route(method, settings.envoyPrefix() + "/<path>", "Decide a proxied request (Envoy ext_authz)",
                    "forward-auth", 200));
        }
        return out;
    }

    private void decide(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        try {
            authorize(ctx);
        } catch (AuthFailure refused) {
            ctx.header(ERROR_HEADER, errorJson(refused.getMessage()));
            throw refused;
        }
    }

    private static String errorJson(String detail) {
        try {
            return ASCII_JSON.writeValueAsString(java.util.Map.of("detail", detail));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{\"detail\":\"refused\"}";
        }
    }

    private void authorize(Context ctx) {
        OriginalRequest original = original(ctx);
        ctx.attribute(RequestContext.AUDITED_METHOD_ATTRIBUTE, original.method());
        ctx.attribute(RequestContext.AUDITED_PATH_ATTRIBUTE, original.path());
        ctx.attribute(RequestContext.AUDITED_QUERY_ATTRIBUTE, original.query());
        Guard guard = guardFor(original).orElseThrow(() -> AuthFailure.forbidden("no forward-auth guard covers "
                + (original.host().isEmpty() ? "" : "host '" + original.host() + "' ") + "path " + original.path()));
        long started = System.nanoTime();
        RequestAuthorizer.Authorized result;
        try {
            result = authorizer.authorize(original.method(), guard.decidedPath(original.path()), ctx.header("Authorization"),
                    ctx.header(DevPrincipalResolver.HEADER), guard.policy(), guard.publicPaths());
        } finally {
            ctx.attribute(AccessFilter.DURATION_NANOS, System.nanoTime() - started);
        }
        if (result.principal() != null) {
            ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE, result.principal());
        }
        if (result.workspace() != null) {
            ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE, result.workspace());
        }
        settings.identity().describe(result.principal(), result.workspace()).forEach(ctx::header);
        ctx.status(200);
    }

    private OriginalRequest original(Context ctx) {
        try {
            return OriginalRequest.read(ctx.req().getMethod(), ctx.req().getRequestURI(), ctx.queryString(), ctx::header,
                    settings.envoyPrefix(), settings.conventions());
        } catch (OriginalRequest.BadOriginalRequest e) {
            throw AuthFailure.badRequest(e.getMessage());
        }
    }

    /** The most specific guard covering the request: a named host first, then the longest prefix. */
    Optional<Guard> guardFor(OriginalRequest original) {
        return settings.guards().stream().filter(guard -> guard.covers(original.host(), original.path()))
                .max(Comparator.comparingInt(Guard::specificity));
    }
}
