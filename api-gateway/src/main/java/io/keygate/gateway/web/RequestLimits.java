package io.keygate.gateway.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The first before-handler: refuses, ahead of authentication, requests no route could serve by
 * their shape alone. A request target longer than {@code server.maxUriBytes} is 414 (Jetty counts
 * the request line against the much larger header limit, which must fit big tokens), and a method
 * that is not an HTTP method the gateway knows is 501 (RFC 9110 §15.6.2), instead of being judged
 * by the policy as if it were an endpoint. Both answers are the usual {@code {"detail"}} JSON.
 */
public final class RequestLimits implements Handler {

    /** Javalin's standard HTTP methods (it creates a type on the fly for any other token). */
    private static final List<HandlerType> KNOWN_METHODS = HandlerType.values().stream().filter(HandlerType::isHttpMethod).toList();

    private final int maxUriBytes;

    public RequestLimits(int maxUriBytes) {
        this.maxUriBytes = maxUriBytes;
    }

    @Override
    public void handle(Context ctx) {
        if (!KNOWN_METHODS.contains(ctx.method())) {
            throw new HttpResponseException(501, "method '" + printable(ctx.req().getMethod()) + "' is not implemented; "
                    + "the gateway knows " + KNOWN_METHODS.stream().map(HandlerType::name).collect(Collectors.joining(", ")));
        }
        int uriBytes = ctx.req().getRequestURI().length() + (ctx.queryString() == null ? 0 : ctx.queryString().length() + 1);
        if (uriBytes > maxUriBytes) {
            throw new HttpResponseException(414, "the request target is " + uriBytes + " bytes long; at most " + maxUriBytes
                    + " are accepted (server.maxUriBytes)");
        }
    }

    /** A method token is at most a few letters; never echo a long one back. */
    private static String printable(String method) {
        return method.length() > 32 ? method.substring(0, 32) + "..." : method;
    }
}
