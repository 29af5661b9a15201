package io.keygate.gateway.support;

import io.javalin.http.HandlerType;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.audit.AuditEntry;
import io.keygate.gateway.audit.AuditSink;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real gateway on 127.0.0.1 (free port) with one catch-all echo route behind the
 * authentication and policy filter, and an in-memory audit sink.
 */
public final class TestGateway implements AutoCloseable {

    /** The echo route answers 200 with the principal id and the decided workspace. */
    public static final RouteModule ECHO = routes -> {
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            routes.addHttpHandler(method, "/*", ctx -> {
                Principal principal = ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
                String workspace = ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE);
                ctx.json(Map.of("principal", principal == null ? "" : principal.id(), "workspace", String.valueOf(workspace)));
            });
        }
    };

    public final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    private final GatewayApp app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestGateway(String yaml) {
        this(yaml, Map.of());
    }

    public TestGateway(String yaml, Map<String, String> env) {
        this(yaml, env, List.of(ECHO));
    }

    public TestGateway(String yaml, Map<String, String> env, List<RouteModule> modules) {
        GatewayConfig config = ConfigLoader.fromYaml(yaml, env);
        AuditSink sink = audit::add;
        app = new GatewayApp(config, sink, modules).start("127.0.0.1", 0);
    }

    /** A gateway built from {@code config} whose requests are judged by {@code freshness} (started with it). */
    public TestGateway(GatewayConfig config, io.keygate.gateway.freshness.Freshness freshness) {
        AuditSink sink = audit::add;
        app = new GatewayApp(config, sink, List.of(ECHO), freshness).start("127.0.0.1", 0);
    }

    /** YAML for one issuer entry trusting {@code issuer} with the given audience. */
    public static String issuerYaml(String name, TestIssuer issuer, String audience, String extra) {
        return "  - name: " + name + "\n"
                + "    issuer: " + issuer.issuer() + "\n"
                + "    jwks: " + issuer.jwksUrl() + "\n"
                + "    audiences: [" + audience + "]\n"
                + "    algorithms: [RS256, ES256]\n"
                + "    clockSkew: 5s\n"
                + extra;
    }

    public static String config(String issuersYaml) {
        return "issuers:\n" + issuersYaml;
    }

    public int port() {
        return app.port();
    }

    public GatewayApp app() {
        return app;
    }

    public record Response(int status, String body, String wwwAuthenticate) {
    }

    public Response call(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String token) {
        return call("GET", path, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    @Override
    public void close() {
        app.stop();
    }
}
