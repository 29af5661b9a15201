package io.keygate.gateway.iam;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.api.ExtensionApi;
import io.keygate.core.iam.RoleBindings;
import io.keygate.gateway.freshness.WriteWait;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.RouteTable;
import io.keygate.gateway.workspaces.ExtensionCalls;
import io.keygate.gateway.workspaces.ExtensionClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * NeMo Platform's IAM role-bindings API ({@value RoleBindings#PATH}), served from the Keycloak
 * extension's binding history: list (NeMo Platform's {@code page}, {@code page_size},
 * {@code sort} and deep-object {@code filter[...]} parameters, passed on unchanged), create, get
 * by name, delete (= revoke).
 *
 * <p>Security contract: PlatformAdmin only, twice: the policy grants the {@code iam.*} permissions
 * to no workspace role, and the extension checks the caller's live {@code platform-admin} again
 * with the caller's own token. Creates and revokes are member writes in the extension (last-Admin
 * rule, grant record, security events); the gateway stores nothing. Writes honour
 * {@code wait_role_propagation} like member writes.
 */
public final class RoleBindingRoutes {

    static final String BINDING = RoleBindings.PATH + "/{name}";

    private final ExtensionCalls calls;
    private final Json json;
    private final Supplier<WriteWait> writeWait;

    public RoleBindingRoutes(ExtensionCalls calls, Json json, Supplier<WriteWait> writeWait) {
        this.calls = calls;
        this.json = json;
        this.writeWait = writeWait;
    }

    public void register(RouteTable table) {
        table.add(HandlerType.GET, RoleBindings.PATH, "iam", "List role bindings, active and revoked (PlatformAdmin)", 200,
                ctx -> calls.relay(ctx, calls.client(ctx).getAll(ExtensionApi.roleBindingsPath(), listQuery(ctx), calls.token(ctx)), 200));
        table.add(HandlerType.POST, RoleBindings.PATH, "iam", "Create a role binding (PlatformAdmin)", 200, ctx -> {
            String body = json.objectBody(ctx).toString();
            calls.relay(ctx, write(ctx, token -> calls.client(ctx).post(ExtensionApi.roleBindingsPath(), token, body)), 200);
        });
        table.add(HandlerType.GET, BINDING, "iam", "Get a role binding by name (PlatformAdmin)", 200,
                ctx -> calls.relay(ctx, calls.client(ctx).get(bindingPath(ctx), Map.of(), calls.token(ctx)), 200));
        table.add(HandlerType.DELETE, BINDING, "iam", "Revoke a role binding (PlatformAdmin)", 200,
                ctx -> calls.relay(ctx, write(ctx, token -> calls.client(ctx).delete(bindingPath(ctx), token)), 200));
    }

    private ExtensionClient.Reply write(Context ctx, java.util.function.Function<String, ExtensionClient.Reply> send) {
        return calls.propagatedWrite(ctx, writeWait.get(), send);
    }

    /** Every query parameter but the gateway's own; the extension validates them (422 with {"detail"}). */
    private static Map<String, List<String>> listQuery(Context ctx) {
        Map<String, List<String>> query = new LinkedHashMap<>(ctx.queryParamMap());
        query.remove(RoleBindings.WAIT_PARAM);
        return query;
    }

    private static String bindingPath(Context ctx) {
        return ExtensionApi.roleBindingPath(ctx.pathParam("name"));
    }
}
