package io.keygate.gateway.inference;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.upstream.UpstreamProxy;
import io.keygate.gateway.upstream.UpstreamSettings;
import io.keygate.gateway.web.RouteTable;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Forwards {@code /apis/inference-gateway/v2/workspaces/{workspace}/openai/-/...} to the configured
 * OpenAI-compatible upstream: one instance of the gateway's upstream proxy ({@link UpstreamProxy}),
 * streaming both ways (server-sent events included), decided by the gateway's own policy.
 *
 * <p>Security contract: the policy has allowed the caller for the workspace before this runs. The
 * upstream learns who is calling only from the gateway's identity headers
 * ({@code X-Keygate-Principal}, {@code -Email}, {@code -Workspace}, {@code -Role}, {@code -Scopes});
 * any such header sent by the client is dropped, as are the dev principal headers and, unless
 * configured, the caller's {@code Authorization} header.
 */
public final class InferenceProxy {

    public static final String PATH = "/apis/inference-gateway/v2/workspaces/{workspace}/openai/-/<path>";

    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);

    private final InferenceConfig config;
    private final UpstreamProxy proxy;

    public InferenceProxy(InferenceConfig config) {
        this.config = config;
        this.proxy = config.isConfigured() ? new UpstreamProxy("the inference upstream", settings(config), config.identity()) : null;
    }

    private static UpstreamSettings settings(InferenceConfig config) {
        try {
            return new UpstreamSettings(URI.create(config.upstreamUrl().trim()), config.forwardAuthorization(), false, null, null);
        } catch (IllegalArgumentException e) {
            throw new io.keygate.gateway.config.ConfigException("invalid configuration: inference.upstreamUrl " + e.getMessage(), e);
        }
    }

    public void register(RouteTable table) {
        for (HandlerType method : METHODS) {
            table.add(method, PATH, "inference", "Forward an OpenAI-compatible request to the inference upstream", 200,
                    this::forward);
        }
    }

    private void forward(Context ctx) throws IOException {
        if (proxy == null) {
            throw new ApiException(503, "no inference upstream is configured (set inference.upstreamUrl)");
        }
        String path = ctx.pathParam("path");
        if (path.contains("..")) {
            throw ApiException.badRequest("the inference path must not contain '..'");
        }
        String rawPath = ctx.req().getRequestURI();
        int rest = rawPath.indexOf("/openai/-/");
        URI target = proxy.settings().target(rest < 0 ? "/" + path : rawPath.substring(rest + "/openai/-".length()), ctx.queryString());
        Principal principal = ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
        proxy.forward(ctx, target, config.identity().describe(principal, ctx.pathParam("workspace")));
    }
}
