package io.keygate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.keygate.core.ApiException;
import io.keygate.core.api.ErrorBody;
import io.keygate.gateway.policy.PolicyEngine;
import io.keygate.gateway.audit.AuditRecorder;
import io.keygate.gateway.audit.AuditSink;
import io.keygate.gateway.audit.AuditSinks;
import io.keygate.gateway.auth.AccessFilter;
import io.keygate.gateway.auth.AuthFailure;
import io.keygate.gateway.auth.DevPrincipalResolver;
import io.keygate.gateway.auth.FreshWorkspaceRoles;
import io.keygate.gateway.auth.OverageResolver;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.auth.RequestAuthorizer;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.auth.ServiceAccountTokens;
import io.keygate.gateway.auth.TokenAuthenticator;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.freshness.Freshness;
import io.keygate.gateway.guard.ForwardAuthRoutes;
import io.keygate.gateway.guard.GuardRouting;
import io.keygate.gateway.guard.GuardSettings;
import io.keygate.gateway.health.HealthRoutes;
import io.keygate.gateway.policy.PolicyLoader;
import io.keygate.gateway.upstream.UpstreamRoutes;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.web.JsonErrorHandler;
import io.keygate.gateway.web.RequestLimits;
import io.keygate.gateway.web.UnreadBodyDrain;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles one Javalin app from a {@link GatewayConfig}: the authentication and policy
 * before-handler, the audit hook, error responses, {@code /healthz}, and whatever
 * {@link RouteModule}s are passed in.
 */
public final class GatewayApp {


    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Bytes of the buffer Javalin copies each response result through, allocated per response; larger results take
     * several copies. At least Javalin's compression threshold (1,500 bytes): its first write decides whether a
     * result is compressed.
     */
    static final int RESULT_COPY_BUFFER_BYTES = 2048;

    private final GatewayConfig config;
    private final Freshness freshness;
    private final RequestAuthorizer authorizer;
    private final AuditRecorder audit;
    private final Javalin javalin;
    private final List<RouteModule> modules;
    private final GuardSettings guards;

    /** An app with the audit sink named by {@code audit.sink} ({@code log} or {@code none}; {@code jdbc} needs the store, see {@code Main}). */
    public GatewayApp(GatewayConfig config, List<RouteModule> modules) {
        this(config, AuditSinks.of(config.auditSink(), Optional.empty()), modules);
    }

    public GatewayApp(GatewayConfig config, AuditSink auditSink, List<RouteModule> modules) {
        this(config, auditSink, modules, Freshness.none());
    }

    /** @param freshness the security-event receiver whose judge runs on every request; started and stopped with the app */
    public GatewayApp(GatewayConfig config, AuditSink auditSink, List<RouteModule> modules, Freshness freshness) {
        this.config = config;
        this.freshness = freshness;
        this.authorizer = authorizer(config, freshness);
        this.audit = new AuditRecorder(auditSink);
        this.guards = GuardSettings.from(config, authorizer);
        List<RouteModule> all = new ArrayList<>();
        all.add(new HealthRoutes());
        List<RouteModule> guarding = guardModules(guards, authorizer);
        List<io.keygate.gateway.web.RouteTable.Route> guardRoutes = new ArrayList<>();
        guarding.forEach(module -> guardRoutes.addAll(module.documentedRoutes()));
        modules.forEach(module -> module.documentAlso(guardRoutes));
        modules.forEach(module -> module.signingKeys(authorizer::signingKeysCached));
        all.addAll(guarding);
        all.addAll(modules);
        this.modules = List.copyOf(all);
        this.javalin = Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(new ObjectMapper().findAndRegisterModules(), false));
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(config.server().maxRequestHeaderBytes());
                http.setSendServerVersion(false);
            });
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            cfg.startup.showJavalinBanner = false;
            // Javalin copies each result into the response through a buffer of this size, allocated per
            // response; unset, it is Jetty's output buffer (32 KB), half of all the gateway's allocation
            // (JFR, docs/benchmarks.md). Jetty's own output buffer is not changed by this.
            cfg.http.responseBufferSize = RESULT_COPY_BUFFER_BYTES;
            cfg.routes.before(new RequestLimits(config.server().maxUriBytes()));
            cfg.routes.before(new AccessFilter(authorizer, new GuardRouting(guards)));
            cfg.routes.after(new UnreadBodyDrain());
            cfg.routes.exception(AuthFailure.class, GatewayApp::answer);
            cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.detail()));
            cfg.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            cfg.routes.exception(Exception.class, GatewayApp::internalError);
            cfg.requestLogger.http(this::auditRequest);
            all.forEach(module -> module.register(cfg.routes));
        });
        warnAboutModes(config);
    }

    /** {@code /forward-auth} (when enabled) and the configured upstream routes. */
    private static List<RouteModule> guardModules(GuardSettings guards, RequestAuthorizer authorizer) {
        List<RouteModule> out = new ArrayList<>();
        if (guards.enabled()) {
            out.add(new ForwardAuthRoutes(guards, authorizer));
        }
        out.add(new UpstreamRoutes(guards.upstreams(), guards.identity()));
        return out;
    }

    /** Builds the per-request security path from configuration (also used by benchmarks). */
    public static RequestAuthorizer authorizer(GatewayConfig config) {
        return authorizer(config, Freshness.none());
    }

    /** The per-request security path, judging callers with {@code freshness}' events. */
    public static RequestAuthorizer authorizer(GatewayConfig config, Freshness freshness) {
        GatewayConfig.Auth auth = config.auth();
        PolicyEngine policy = PolicyLoader.load(config.policyFile());
        OverageResolver claimSource = new OverageResolver(Duration.ofSeconds(5));
        TokenAuthenticator tokens = new TokenAuthenticator(config.issuers(), auth.platformAdminRole(), auth.maxTokenBytes(),
                auth.tokenCacheMaxEntries(), claimSource);
        DevPrincipalResolver dev = null;
        if (auth.devPrincipalHeader()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
            dev = new DevPrincipalResolver(config.keycloak(), ServiceAccountTokens.of(config.keycloak()), http,
                    auth.devPrincipalCacheSeconds());
        }
        return new RequestAuthorizer(auth.enabled(), tokens, dev, policy, auth.publicPaths(),
                FreshWorkspaceRoles.forConfiguredRealm(config, claimSource), freshness.bind(tokens));
    }

    /** Starts the event feeds (waiting briefly for them to catch up), then serves. */
    public GatewayApp start() {
        return start(config.server().host(), config.server().port());
    }

    public GatewayApp start(String host, int port) {
        freshness.start();
        javalin.start(host, port);
        modules.forEach(module -> module.started(javalin));
        fetchSigningKeysInBackground();
        return this;
    }

    /** Fetches the issuers' signing keys once at start-up, so the gateway is ready without waiting for a first token or probe. */
    private void fetchSigningKeysInBackground() {
        Thread fetch = new Thread(() -> {
            Map<String, Boolean> cached = authorizer.signingKeysCached();
            LOG.info("signing keys cached at start-up: {}", cached);
        }, "keygate-signing-keys");
        fetch.setDaemon(true);
        fetch.start();
    }

    public int port() {
        return javalin.port();
    }

    public void stop() {
        javalin.stop();
        freshness.close();
        authorizer.close();
    }

    public Javalin javalin() {
        return javalin;
    }

    public GatewayConfig config() {
        return config;
    }

    public RequestAuthorizer authorizer() {
        return authorizer;
    }

    /** The forward-auth and upstream-route settings. */
    public GuardSettings guards() {
        return guards;
    }

    /** Writes {@code {"detail": ...}} with the given status; the shape of every gateway error. */
    public static void error(Context ctx, int status, String detail) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(new ErrorBody(detail)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.status(status).result("{\"detail\":\"error\"}");
        }
    }

    private static void answer(AuthFailure failure, Context ctx) {
        if (failure.principal() != null) {
            ctx.attribute(RequestContext.REFUSED_PRINCIPAL_ATTRIBUTE, failure.principal());
            ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE, failure.workspace());
        }
        if (failure.challenge() != null) {
            ctx.header("WWW-Authenticate", failure.challenge());
        }
        error(ctx, failure.status(), failure.getMessage());
    }

    private static void internalError(Exception e, Context ctx) {
        LOG.error("unhandled error on {} {}", ctx.req().getMethod(), ctx.path(), e);
        error(ctx, 500, "internal error");
    }

    private void auditRequest(Context ctx, Float millis) {
        Principal allowed = ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
        Principal principal = allowed != null ? allowed : ctx.attribute(RequestContext.REFUSED_PRINCIPAL_ATTRIBUTE);
        String method = ctx.attribute(RequestContext.AUDITED_METHOD_ATTRIBUTE);
        boolean original = method != null;
        audit.request(original ? method : ctx.req().getMethod(), original ? ctx.attribute(RequestContext.AUDITED_PATH_ATTRIBUTE) : ctx.path(),
                original ? ctx.attribute(RequestContext.AUDITED_QUERY_ATTRIBUTE) : ctx.queryString(), ctx.statusCode(), principal, ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE),
                ctx.ip(), millis == null ? 0 : millis.longValue());
    }

    private static void warnAboutModes(GatewayConfig config) {
        if (!config.auth().enabled()) {
            LOG.warn("auth.enabled is false: EVERY request is allowed without authentication. Never run this way outside a sandbox.");
        }
        if (config.auth().devPrincipalHeader()) {
            LOG.warn("auth.devPrincipalHeader is true: callers may name themselves with {} or Bearer <email>. Development only.",
                    DevPrincipalResolver.HEADER);
        }
    }
}
