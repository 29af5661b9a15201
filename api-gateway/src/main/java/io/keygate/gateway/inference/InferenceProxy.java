package io.keygate.gateway.inference;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.core.Role;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.auth.UpstreamHeaders;
import io.keygate.gateway.web.Caller;
import io.keygate.gateway.web.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Forwards {@code /apis/inference-gateway/v2/workspaces/{workspace}/openai/-/...} to the configured
 * OpenAI-compatible upstream and streams the answer back as it arrives (server-sent events included).
 *
 * <p>Security contract: the policy has allowed the caller for the workspace before this runs. The
 * upstream learns who is calling only from the {@code X-Keygate-*} identity headers the gateway
 * sets; any such header sent by the client is dropped, as are the dev principal header and, unless
 * configured, the caller's {@code Authorization} header.
 */
public final class InferenceProxy {

    public static final String PATH = "/apis/inference-gateway/v2/workspaces/{workspace}/openai/-/<path>";

    public static final String PRINCIPAL_HEADER = "X-Keygate-Principal";
    public static final String WORKSPACE_HEADER = "X-Keygate-Workspace";
    public static final String ROLE_HEADER = "X-Keygate-Role";

    /** Hop-by-hop headers (RFC 9110 section 7.6.1) and the ones java.net.http sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "http2-settings");

    /** Headers only the gateway may set, or that trust a caller-chosen identity. */
    private static final Set<String> DEV_HEADERS = Set.of("x-nmp-principal-id", "x-nmp-principal-email",
            "x-nmp-principal-groups");

    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);

    private final InferenceConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public InferenceProxy(InferenceConfig config) {
        this.config = config;
    }

    public void register(RouteTable table) {
        for (HandlerType method : METHODS) {
            table.add(method, PATH, "inference", "Forward an OpenAI-compatible request to the inference upstream", 200,
                    this::forward);
        }
    }

    private void forward(Context ctx) throws IOException {
        if (!config.isConfigured()) {
            throw new ApiException(503, "no inference upstream is configured (set inference.upstreamUrl)");
        }
        HttpResponse<InputStream> response = send(ctx, buildRequest(ctx));
        ctx.status(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                ctx.res().setHeader(name, values.get(0));
                values.stream().skip(1).forEach(value -> ctx.res().addHeader(name, value));
            }
        });
        stream(response.body(), ctx.res().getOutputStream());
    }

    private HttpRequest buildRequest(Context ctx) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstreamUri(ctx)).timeout(Duration.ofMinutes(10));
        for (Map.Entry<String, String> header : ctx.headerMap().entrySet()) {
            if (isForwarded(header.getKey())) {
                request.header(header.getKey(), header.getValue());
            }
        }
        identityHeaders(ctx).forEach(request::header);
        byte[] body = ctx.bodyAsBytes();
        return request.method(ctx.method().name(), body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private boolean isForwarded(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        if (UpstreamHeaders.isStripped(name) || NOT_FORWARDED.contains(name) || DEV_HEADERS.contains(name)
                || name.startsWith("x-keygate-")) {
            return false;
        }
        return !name.equals("authorization") || config.forwardAuthorization();
    }

    private URI upstreamUri(Context ctx) {
        String base = config.upstreamUrl().endsWith("/")
                ? config.upstreamUrl().substring(0, config.upstreamUrl().length() - 1) : config.upstreamUrl();
        String query = ctx.queryString();
        String path = ctx.pathParam("path");
        if (path.contains("..")) {
            throw ApiException.badRequest("the inference path must not contain '..'");
        }
        try {
            return URI.create(base + "/" + path + (query == null || query.isEmpty() ? "" : "?" + query));
        } catch (IllegalArgumentException notAUri) {
            // Javalin hands the path decoded: "%7B" arrives as "{", which a URI must not contain (found by the fuzzer)
            throw ApiException.badRequest("the inference path or query is not a valid URI");
        }
    }

    /** Who is calling, for the upstream: principal id, workspace, and the caller's role there. */
    static Map<String, String> identityHeaders(Context ctx) {
        String workspace = ctx.pathParam("workspace");
        Optional<Principal> principal = Caller.principal(ctx);
        String role = principal.map(p -> p.platformAdmin() ? "PlatformAdmin"
                : p.roleIn(workspace).map(Role::name).orElse("")).orElse("");
        return role.isEmpty()
                ? Map.of(PRINCIPAL_HEADER, Caller.id(ctx), WORKSPACE_HEADER, workspace)
                : Map.of(PRINCIPAL_HEADER, Caller.id(ctx), WORKSPACE_HEADER, workspace, ROLE_HEADER, role);
    }

    private HttpResponse<InputStream> send(Context ctx, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiException(502, "the inference upstream is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while calling the inference upstream");
        }
    }

    /** Copies chunk by chunk and flushes each one, so streamed completions reach the client at once. */
    private static void stream(InputStream from, OutputStream to) throws IOException {
        try (InputStream in = from) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                to.write(buffer, 0, read);
                to.flush();
            }
        }
    }
}
