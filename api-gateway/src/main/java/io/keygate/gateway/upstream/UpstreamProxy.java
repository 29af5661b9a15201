package io.keygate.gateway.upstream;

import io.javalin.http.Context;
import io.keygate.core.ApiException;
import io.keygate.gateway.auth.IdentityHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Forwards one already authorized request to an upstream service and streams both bodies: the
 * request body goes up as it arrives (a large upload is never held whole), the response comes back
 * chunk by chunk, flushed, so server-sent events reach the client as they are produced.
 *
 * <p>Security contract: the policy has allowed the request before this runs. The upstream learns who
 * is calling only from the identity headers passed in (the gateway's own); every client-sent header
 * that {@link IdentityHeaderNames#isReserved} names is dropped, as are hop-by-hop headers, the
 * caller's {@code Authorization} unless {@link UpstreamSettings#forwardAuthorization()}, and the
 * dev identity headers unless {@link UpstreamSettings#forwardDevHeaders()}. Failures answer 502
 * (unreachable, broken) or 504 (timed out) with a {@code {"detail"}} naming the upstream route, never
 * the caller's secrets.
 */
public final class UpstreamProxy {

    /** Hop-by-hop headers (RFC 9110 section 7.6.1) and the ones java.net.http sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "http2-settings");

    private static final int CHUNK = 8192;

    private final String name;
    private final UpstreamSettings settings;
    private final IdentityHeaderNames identity;
    private final HttpClient http;

    /** @param name how errors name this upstream ({@code the inference upstream}, {@code upstream /nmp}) */
    public UpstreamProxy(String name, UpstreamSettings settings, IdentityHeaderNames identity) {
        this.name = name;
        this.settings = settings;
        this.identity = identity;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public UpstreamSettings settings() {
        return settings;
    }

    /** Sends the request in {@code ctx} to {@code target} with {@code identityHeaders} and streams the answer back. */
    public void forward(Context ctx, URI target, Map<String, String> identityHeaders) throws IOException {
        HttpResponse<InputStream> response = send(request(ctx, target, identityHeaders));
        ctx.status(response.statusCode());
        response.headers().map().forEach((header, values) -> {
            if (!NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT)) && !header.startsWith(":")) {
                ctx.res().setHeader(header, values.get(0));
                values.stream().skip(1).forEach(value -> ctx.res().addHeader(header, value));
            }
        });
        stream(response.body(), ctx.res().getOutputStream());
    }

    private HttpRequest request(Context ctx, URI target, Map<String, String> identityHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(settings.readTimeout());
        Enumeration<String> names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            String header = names.nextElement();
            if (isForwarded(header)) {
                Enumeration<String> values = ctx.req().getHeaders(header);
                while (values.hasMoreElements()) {
                    request.header(header, values.nextElement());
                }
            }
        }
        identityHeaders.forEach((header, value) -> {
            if (!value.isEmpty()) {
                request.header(header, value);
            }
        });
        return request.method(ctx.req().getMethod(), body(ctx)).build();
    }

    /** The request body as a stream read while it is sent, with its declared length when there is one. */
    private static HttpRequest.BodyPublisher body(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        if (length == 0 || (length < 0 && !chunked)) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return ctx.req().getInputStream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    /** True for a client header the upstream may see. */
    boolean isForwarded(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (NOT_FORWARDED.contains(lower)) {
            return false;
        }
        if (IdentityHeaderNames.isDevHeader(lower)) {
            return settings.forwardDevHeaders();
        }
        if (identity.isReserved(lower)) {
            return false;
        }
        return !lower.equals("authorization") || settings.forwardAuthorization();
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ApiException(504, name + " did not accept a connection within " + settings.connectTimeout().toMillis() + " ms");
        } catch (HttpTimeoutException e) {
            throw new ApiException(504, name + " did not answer within " + settings.readTimeout().toMillis() + " ms");
        } catch (ConnectException e) {
            throw new ApiException(502, name + " is unreachable (connection refused)");
        } catch (IOException e) {
            throw new ApiException(502, name + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while calling " + name);
        } catch (java.io.UncheckedIOException e) {
            throw new ApiException(400, "the request body could not be read: " + describe(e.getCause()));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message.replaceAll("[\\r\\n]", " ") + ")");
    }

    /** Copies chunk by chunk and flushes each one, so streamed answers reach the client at once. */
    private static void stream(InputStream from, OutputStream to) throws IOException {
        try (InputStream in = from) {
            byte[] buffer = new byte[CHUNK];
            int read;
            while ((read = in.read(buffer)) != -1) {
                to.write(buffer, 0, read);
                to.flush();
            }
        }
    }
}
