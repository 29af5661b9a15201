package io.keygate.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.api.ErrorBody;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty produces itself, before any route runs (a request line or header it
 * cannot parse, a URI or headers over the limit, bad percent-encoding or UTF-8, an ambiguous path
 * such as {@code ..;}), in the gateway's {@code {"detail": ...}} shape with
 * {@code Content-Type: application/json}, for every method, instead of Jetty's HTML page.
 *
 * <p>Security contract: it only changes how a refusal is written, never whether a request is
 * refused (Jetty's URI and HTTP compliance modes decide that). The detail is Jetty's short reason
 * or the status's standard phrase; no stack trace, exception class or request URI is ever echoed.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** Longer reasons are cut: a reason may quote part of a hostile request. */
    static final int MAX_DETAIL_CHARS = 200;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            response.setStatus(status);
            reason = reason != null ? reason : http.getReason();
        }
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] body = mapper.writeValueAsBytes(new ErrorBody(detail(status, reason)));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** Jetty's reason when it has one (e.g. "Ambiguous URI path separator"), else the status phrase. */
    static String detail(int status, String reason) {
        String phrase = HttpStatus.getMessage(status);
        if (reason == null || reason.isBlank() || reason.equals(phrase)) {
            return phrase;
        }
        String shortReason = reason.length() > MAX_DETAIL_CHARS ? reason.substring(0, MAX_DETAIL_CHARS) + "..." : reason;
        return phrase + ": " + shortReason;
    }
}
