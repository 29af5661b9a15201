package io.keygate.gateway.workspaces;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.keygate.core.ApiException;
import io.keygate.core.api.ErrorBody;
import io.keygate.core.iam.RoleBindings;
import io.keygate.gateway.auth.DevPrincipalResolver;
import io.keygate.gateway.freshness.WriteWait;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a route calls the Keycloak extension for the request it serves: with the caller's own
 * bearer token (the service account only when authentication is off or in dev-header mode, acting
 * for the dev principal), and relaying the answer, errors keeping their {@code {"detail"}}.
 */
public final class ExtensionCalls {

    private final ExtensionClient extension;
    private final Json json;
    private final Optional<Supplier<String>> callerlessFallback;

    public ExtensionCalls(ExtensionClient extension, Json json, Optional<Supplier<String>> callerlessFallback) {
        this.extension = extension;
        this.json = json;
        this.callerlessFallback = callerlessFallback;
    }

    /** The extension as the caller sees it: in dev-header mode, acting for the dev principal. */
    public ExtensionClient client(Context ctx) {
        return RequestContext.principal(ctx).filter(p -> DevPrincipalResolver.ISSUER.equals(p.issuer()))
                .map(p -> extension.actingFor(p.id())).orElse(extension);
    }

    /**
     * The caller's bearer token. In dev-header mode the "token" may be an email and the identity a
     * header, neither of which Keycloak accepts, so the service account stands in (development only).
     */
    public String token(Context ctx) {
        Optional<String> token = RequestContext.token(ctx);
        boolean devIdentity = RequestContext.principal(ctx).map(p -> DevPrincipalResolver.ISSUER.equals(p.issuer())).orElse(false);
        if (token.isPresent() && !devIdentity) {
            return token.get();
        }
        return callerlessFallback.map(Supplier::get)
                .orElseThrow(() -> new ApiException(401, "a bearer token is required"));
    }

    /**
     * A membership write with {@code wait_role_propagation} (default true): the parameter is
     * checked before anything is sent (a bad value changes nothing); after the extension's success
     * the answer waits, bounded, until this gateway enforces the change ({@link WriteWait}) and
     * names the outcome in {@value RoleBindings#PROPAGATION_HEADER}.
     */
    public ExtensionClient.Reply propagatedWrite(Context ctx, WriteWait waiter, Function<String, ExtensionClient.Reply> send) {
        boolean wait = WriteWait.requested(ctx.queryParam(RoleBindings.WAIT_PARAM));
        String token = token(ctx);
        long started = waiter.start();
        ExtensionClient.Reply reply = send.apply(token);
        if (reply.isSuccess()) {
            ctx.header(RoleBindings.PROPAGATION_HEADER, waiter.settle(wait, reply.header(RoleBindings.CHANGED_SUBJECTS_HEADER), started));
        }
        return reply;
    }

    /** Passes Keycloak's answer through: same status, same body; errors keep their {"detail"}; its 5xx become 502. */
    public void relay(Context ctx, ExtensionClient.Reply reply, int successStatus) {
        if (reply.isSuccess()) {
            if (reply.body() == null || reply.body().isBlank()) {
                ctx.status(reply.status() == 204 ? 204 : successStatus);
            } else {
                json.send(ctx, reply.status() == 200 || reply.status() == 201 ? reply.status() : successStatus, parse(reply.body()));
            }
            return;
        }
        JsonNode body = parse(reply.body());
        String detail = body.path(ErrorBody.DETAIL).isTextual() ? body.path(ErrorBody.DETAIL).asText()
                : "the identity provider answered " + reply.status();
        int status = reply.status() >= 500 ? 502 : reply.status();
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"keygate\", error=\"invalid_token\"");
        }
        json.error(ctx, status, detail);
    }

    /** A JSON body, or an empty object when there is none or it is not JSON. */
    public JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.mapper().createObjectNode();
        }
        try {
            return json.mapper().readTree(body);
        } catch (IOException e) {
            return json.mapper().createObjectNode();
        }
    }
}
