package io.keygate.gateway.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.keygate.gateway.auth.RequestContext;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The after-handler that keeps HTTP/1.1 connections honest when a request is answered without its
 * body being read, which every denial does (the access filter decides on headers alone).
 *
 * <p>Jetty may not wait for a body nobody reads: if the body has not fully arrived when the
 * response goes out, the connection is dropped, and a client that reuses it, or is still writing
 * the body, loses the answer ("header parser received no bytes" in Java, "RemoteDisconnected" in
 * Python). So for a caller whose token was verified, a small unread body with a declared length
 * (at most {@link #MAX_DRAINED_BYTES}) is read and dropped, and the connection stays open: such a
 * caller could hold a thread as long with any route that reads a body. Everything else (no or a
 * bad token, a larger or a chunked body) is never read; the response says
 * {@code Connection: close} instead, so no client queues another request on it, and a caller
 * without credentials cannot keep a thread waiting for a body it trickles in.
 */
public final class UnreadBodyDrain implements Handler {

    /** The most the gateway reads of a body no handler wanted. */
    public static final long MAX_DRAINED_BYTES = 64 * 1024;

    @Override
    public void handle(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            return;
        }
        try {
            ServletInputStream body = ctx.req().getInputStream();
            if (body.isFinished()) {
                return;
            }
            if (!chunked && declared <= MAX_DRAINED_BYTES && tokenWasVerified(ctx) && readToEnd(body, declared)) {
                return;
            }
        } catch (IOException | IllegalStateException unreadable) {
            // the client went away or a handler took the reader instead; the connection cannot be trusted
        }
        ctx.header("Connection", "close");
    }

    /** Let through, or refused by the policy after the caller was identified. */
    private static boolean tokenWasVerified(Context ctx) {
        return ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE) != null || ctx.attribute(RequestContext.REFUSED_PRINCIPAL_ATTRIBUTE) != null;
    }

    private static boolean readToEnd(ServletInputStream body, long declared) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            total += n;
            if (total > declared) {
                return false;
            }
        }
        return true;
    }
}
