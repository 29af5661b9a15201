package io.keygate.gateway;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.core.ResourceNames;
import io.keygate.core.api.ExtensionApi;
import io.keygate.gateway.audit.JdbcAuditSink;
import io.keygate.gateway.audit.query.AuditEntries;
import io.keygate.gateway.audit.query.AuditRoutes;
import io.keygate.gateway.auth.AccessFilter;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.auth.ServiceAccountTokens;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.freshness.Propagation;
import io.keygate.gateway.freshness.WriteWait;
import io.keygate.gateway.guard.GuardSettings;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.iam.RoleBindingRoutes;
import io.keygate.gateway.health.OpenApiDocument;
import io.keygate.gateway.health.ReadinessRoutes;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.inference.InferenceProxy;
import io.keygate.gateway.login.DiscoveryRoutes;
import io.keygate.gateway.openapi.OpenApiSchemas;
import io.keygate.gateway.login.DiscoverySettings;
import io.keygate.gateway.orgs.AllocationRepository;
import io.keygate.gateway.orgs.OrgRoutes;
import io.keygate.gateway.resources.ResourceRepository;
import io.keygate.gateway.resources.ResourceRoutes;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.Migrations;
import io.keygate.gateway.store.StoreConfig;
import io.keygate.gateway.store.RowConflict;
import io.keygate.gateway.store.RowNotFound;
import io.keygate.gateway.store.StoreException;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.RouteLabels;
import io.keygate.gateway.web.RouteTable;
import io.keygate.gateway.workspaces.CleanupRepository;
import io.keygate.gateway.workspaces.CleanupSettings;
import io.keygate.gateway.workspaces.ExtensionCalls;
import io.keygate.gateway.workspaces.ExtensionClient;
import io.keygate.gateway.workspaces.WorkspaceCleaner;
import io.keygate.gateway.workspaces.WorkspaceRoutes;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own API (workspaces, members, resources, inference, readiness, metrics, OpenAPI)
 * and the storage behind it, as one {@link RouteModule}. Opening it migrates the store and resumes
 * unfinished workspace cleanups. Authentication and the policy run before these handlers (see
 * {@link GatewayApp}); the handlers trust what the access filter left on the context.
 */
public final class ApiModule implements RouteModule, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiModule.class);

    private final ApiSettings settings;
    private final Metrics metrics;
    private final Json json = new Json();
    private final Database database;
    private final ResourceRepository resources;
    private final CleanupRepository cleanups;
    private final Optional<ExtensionClient> extension;
    private final Optional<ServiceAccountTokens> serviceTokens;
    private final Optional<WorkspaceCleaner> cleaner;
    private volatile List<RouteTable.Route> routes = List.of();
    private volatile List<RouteTable.Route> servedElsewhere = List.of();
    private volatile RouteLabels routeLabels = new RouteLabels(List.of());
    private volatile Supplier<Map<String, String>> feedStates = Map::of;
    private volatile Supplier<Map<String, Boolean>> signingKeys = Map::of;
    private volatile WriteWait writeWait = WriteWait.none();

    public ApiModule(ApiSettings settings, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.database = new Database(settings.store());
        metrics.bindStorePool(database::poolStats);
        database.awaitReachable(Database.STARTUP_PATIENCE);
        List<Integer> applied = new Migrations(database).migrate();
        if (!applied.isEmpty()) {
            LOG.info("store migrated to version {}", applied.get(applied.size() - 1));
        }
        this.resources = new ResourceRepository(database, json.mapper());
        this.cleanups = new CleanupRepository(database);
        if (settings.hasKeycloak()) {
            ExtensionClient client = new ExtensionClient(ExtensionApi.baseUrl(settings.realmUrl()));
            ServiceAccountTokens tokens = new ServiceAccountTokens(
                    URI.create(ExtensionApi.tokenEndpoint(settings.realmUrl())), settings.gatewayClientId(),
                    settings.gatewayClientSecret(), json.mapper(), Clock.systemUTC());
            this.extension = Optional.of(client);
            this.serviceTokens = Optional.of(tokens);
            WorkspaceCleaner workspaceCleaner = new WorkspaceCleaner(cleanups, resources, client, tokens::token,
                    WorkspaceCleaner.Lease.forThisProcess(settings.cleanup().leaseDuration()), settings.cleanup());
            this.cleaner = Optional.of(workspaceCleaner);
            workspaceCleaner.resumeUnfinished();
        } else {
            this.extension = Optional.empty();
            this.serviceTokens = Optional.empty();
            this.cleaner = Optional.empty();
        }
    }

    /** Settings from the gateway configuration: {@code storage.*}, {@code keycloak.*}, {@code inference.*}, {@code auth.discovery.*}. */
    public static ApiSettings settings(GatewayConfig config) {
        var tree = config.tree();
        StoreConfig store = new StoreConfig(tree.string("storage.jdbcUrl"), tree.string("storage.user"),
                tree.string("storage.password"), tree.integer("storage.poolSize", 1, 256));
        GatewayConfig.Keycloak keycloak = config.keycloak();
        String realmUrl = keycloak.realmUrl();
        boolean callerless = !config.auth().enabled() || config.auth().devPrincipalHeader();
        DiscoverySettings discovery = new DiscoverySettings(config.auth().enabled(), tree.string("auth.discovery.clientId"),
                tree.string("auth.discovery.defaultScopes"), tree.string("auth.discovery.scopePrefix"));
        return new ApiSettings(store, realmUrl, keycloak.clientId(), keycloak.clientSecret(),
                new InferenceConfig(tree.string("inference.upstreamUrl"), tree.bool("inference.forwardAuthorization"),
                        GuardSettings.identity(tree)),
                callerless, discovery, CleanupSettings.from(tree));
    }

    /** {@code /readyz} is ready only while every configured issuer's signing keys are cached (the app calls this). */
    @Override
    public void signingKeys(Supplier<Map<String, Boolean>> cached) {
        this.signingKeys = cached;
    }

    /** Names the security-event feeds' states in {@code /readyz} (call before the app is built). */
    public void reportFeeds(Supplier<Map<String, String>> states) {
        this.feedStates = states;
    }

    /**
     * Lets member and role-binding writes wait until this gateway enforces them
     * ({@code wait_role_propagation}), with the event feed of the configured realm's issuer.
     */
    public void awaitPropagation(Propagation propagation) {
        if (settings.hasKeycloak()) {
            this.writeWait = new WriteWait(propagation, settings.realmUrl(), Clock.systemUTC());
        }
    }

    public Metrics metrics() {
        return metrics;
    }

    public Database database() {
        return database;
    }

    public ResourceRepository resources() {
        return resources;
    }

    public Optional<WorkspaceCleaner> cleaner() {
        return cleaner;
    }

    /** The routes registered by {@link #register}, as listed in the OpenAPI document. */
    public List<RouteTable.Route> routes() {
        return routes;
    }

    /** Registers error mapping, every API route, {@code /openapi.json} and request metrics. */
    @Override
    public void register(RoutesConfig cfg) {
        cfg.exception(ApiException.class, (e, ctx) -> json.error(ctx, e.status(), e.detail()));
        cfg.exception(RowNotFound.class, (e, ctx) -> json.error(ctx, 404, e.getMessage()));
        cfg.exception(RowConflict.class, (e, ctx) -> json.error(ctx, 409, e.getMessage()));
        cfg.exception(StoreException.class, (e, ctx) -> {
            LOG.error("store failure: {}", e.getMessage());
            json.error(ctx, 503, "the gateway's storage is unavailable; try again later");
        });
        RouteTable table = new RouteTable(cfg);
        new ReadinessRoutes(database, settings.hasKeycloak()
                ? Optional.of(URI.create(settings.realmUrl() + "/.well-known/openid-configuration")) : Optional.empty(),
                metrics, json, () -> feedStates.get(), () -> signingKeys.get()).register(table);
        new DiscoveryRoutes(settings.discovery(), settings.realmUrl(), json).register(table);
        extension.ifPresentOrElse(client -> {
            workspaceRoutes(client).register(table);
            new RoleBindingRoutes(new ExtensionCalls(client, json, callerlessFallback()), json, () -> writeWait).register(table);
        }, () -> LOG.warn("no Keycloak realm configured: workspace, member and role-binding endpoints are not served"));
        new ResourceRoutes(resources, json, workspace -> cleanups.find(workspace).isPresent(), this::workspaceExists).register(table);
        new InferenceProxy(settings.inference()).register(table);
        new OrgRoutes(new AllocationRepository(database), new JdbcAuditSink(database), json).register(table);
        new AuditRoutes(new AuditEntries(database), json).register(table);
        OpenApiSchemas schemas = OpenApiSchemas.builtIn();
        table.add(HandlerType.GET, OpenApiDocument.PATH, "health", "This OpenAPI document", 200,
                ctx -> json.send(ctx, 200, schemas.apply(OpenApiDocument.build(json.mapper(), documented()))));
        routes = table.routes();
        routeLabels = new RouteLabels(documented());
        cfg.after(this::recordRequest);
    }

    /**
     * Whether Keycloak holds the workspace, asked as the gateway itself (true when no Keycloak is
     * configured); 503 when Keycloak cannot say.
     */
    private boolean workspaceExists(String workspace) {
        if (!ResourceNames.isValid(workspace)) {
            return false;
        }
        if (extension.isEmpty() || serviceTokens.isEmpty()) {
            return true;
        }
        int status = extension.get().get(ExtensionApi.workspacePath(workspace), Map.of(), serviceToken(serviceTokens.get())).status();
        if (status == 404) {
            return false;
        }
        if (status < 200 || status >= 300) {
            throw new ApiException(503, "could not confirm that workspace '" + workspace + "' exists: the identity provider answered " + status);
        }
        return true;
    }

    /** The gateway's own token for a request being served: 503 (not 500) when Keycloak will not issue one. */
    private static String serviceToken(ServiceAccountTokens tokens) {
        try {
            return tokens.token();
        } catch (IllegalStateException e) {
            throw new ApiException(503, "the identity provider is unreachable; try again later");
        }
    }

    private WorkspaceRoutes workspaceRoutes(ExtensionClient client) {
        return new WorkspaceRoutes(client, resources, cleanups, cleaner.orElseThrow(), json, callerlessFallback(), () -> writeWait);
    }

    private Optional<Supplier<String>> callerlessFallback() {
        return settings.callerlessUsesService() ? serviceTokens.map(tokens -> () -> serviceToken(tokens)) : Optional.empty();
    }

    /**
     * Request, decision and verification metrics. A request the access filter let through carries a
     * principal (allowed); a 403 without one was denied by the policy. 401s are failed
     * authentications, not decisions.
     */
    private void recordRequest(Context ctx) {
        metrics.recordRequest(routeLabels.of(ctx), ctx.method().name(), ctx.statusCode());
        Long nanos = ctx.attribute(AccessFilter.DURATION_NANOS);
        if (nanos != null) {
            metrics.recordVerification(nanos);
        }
        if (ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE) != null) {
            metrics.recordDecision(true);
        } else if (ctx.statusCode() == 403) {
            metrics.recordDecision(false);
        }
    }

    /** This module's routes and the ones the gateway serves beside them (forward-auth, upstream routes). */
    private List<RouteTable.Route> documented() {
        List<RouteTable.Route> all = new java.util.ArrayList<>(routes);
        all.addAll(servedElsewhere);
        return all;
    }

    /** Lists the forward-auth and upstream routes (served by the gateway itself) in the OpenAPI document. */
    @Override
    public void documentAlso(List<RouteTable.Route> more) {
        this.servedElsewhere = List.copyOf(more);
    }

    /** Reports the started server's Jetty thread pool in the metrics. */
    @Override
    public void started(Javalin javalin) {
        metrics.bindJettyThreadPool(() -> javalin.jettyServer().threadPool());
    }

    @Override
    public void close() {
        cleaner.ifPresent(WorkspaceCleaner::close);
        database.close();
    }
}
