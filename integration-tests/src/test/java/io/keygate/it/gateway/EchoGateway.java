package io.keygate.it.gateway;

import io.javalin.http.HandlerType;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.it.support.Http;
import java.util.List;
import java.util.Map;

/** A real gateway on 127.0.0.1 with a catch-all echo route behind the security filter. */
final class EchoGateway implements AutoCloseable {

    private static final RouteModule ECHO = routes -> {
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            routes.addHttpHandler(method, "/*", ctx -> {
                Principal principal = ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
                ctx.json(Map.of("principal", principal == null ? "" : principal.id(),
                        "platform_admin", principal != null && principal.platformAdmin(),
                        "workspaces", principal == null ? Map.of() : principal.workspaceRoles()));
            });
        }
    };

    private final GatewayApp app;
    private final Http http = new Http();

    EchoGateway(String yaml) {
        app = new GatewayApp(ConfigLoader.fromYaml(yaml + "audit:\n  sink: none\n", Map.of()), List.of(ECHO)).start("127.0.0.1", 0);
    }

    /** YAML of one issuer entry. */
    static String issuer(String name, String issuerUrl, String jwksUrl, String audience, String extra) {
        return "  - name: " + name + "\n    issuer: " + issuerUrl + "\n    jwks: " + jwksUrl + "\n    audiences: [" + audience + "]\n" + extra;
    }

    String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    Http.Response get(String path, String token) {
        return http.get(url(path), token);
    }

    Http.Response delete(String path, String token) {
        return http.delete(url(path), token);
    }

    @Override
    public void close() {
        app.stop();
    }
}
