package io.keygate.gateway.workspaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.core.Descriptions;
import io.keygate.core.api.ExtensionApi;
import io.keygate.core.api.PageQuery;
import io.keygate.gateway.freshness.WriteWait;
import io.keygate.gateway.resources.ResourceKind;
import io.keygate.gateway.resources.ResourceRepository;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.RouteTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces and members (NeMo Platform's entity-store API), forwarded to the Keycloak extension.
 *
 * <p>Security contract: the gateway keeps no membership. Every workspace and member operation is
 * sent to Keycloak with the caller's own bearer token, so Keycloak checks it again against live
 * membership and stays the only writer. The service-account token stands in only when
 * authentication is switched off or in dev-header mode ({@code callerlessFallback}); otherwise a
 * request without a token is refused. Workspace deletion is refused with 409 while the gateway
 * still holds resources in it, unless {@code ?cascade=true} asks for the asynchronous cleanup.
 * Member writes answer, by default, only once this gateway enforces them ({@code wait_role_propagation},
 * {@link ExtensionCalls#propagatedWrite}).
 */
public final class WorkspaceRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceRoutes.class);

    static final String WORKSPACES = "/apis/entities/v2/workspaces";
    static final String WORKSPACE = WORKSPACES + "/{name}";
    static final String MEMBERS = WORKSPACES + "/{workspace}/members";
    static final String MEMBER = MEMBERS + "/{principal_id}";

    private final ResourceRepository resources;
    private final CleanupRepository cleanups;
    private final WorkspaceCleaner cleaner;
    private final Json json;
    private final ExtensionCalls calls;
    private final Supplier<WriteWait> writeWait;

    /** @param writeWait how member writes wait for their propagation ({@code wait_role_propagation}) */
    public WorkspaceRoutes(ExtensionClient extension, ResourceRepository resources, CleanupRepository cleanups,
                           WorkspaceCleaner cleaner, Json json, Optional<Supplier<String>> callerlessFallback,
                           Supplier<WriteWait> writeWait) {
        this.resources = resources;
        this.cleanups = cleanups;
        this.cleaner = cleaner;
        this.json = json;
        this.calls = new ExtensionCalls(extension, json, callerlessFallback);
        this.writeWait = writeWait;
    }

    public void register(RouteTable table) {
        table.add(HandlerType.GET, WORKSPACES, "workspaces", "List the workspaces visible to the caller", 200,
                ctx -> relay(ctx, client(ctx).get("/workspaces", listQuery(ctx), token(ctx)), 200));
        table.add(HandlerType.POST, WORKSPACES, "workspaces", "Create a workspace (the creator becomes Admin)", 201,
                ctx -> relay(ctx, client(ctx).post("/workspaces", token(ctx), workspaceBody(ctx)), 201));
        table.add(HandlerType.GET, WORKSPACE, "workspaces", "Get a workspace", 200,
                ctx -> relay(ctx, client(ctx).get(workspacePath(ctx.pathParam("name")), Map.of(), token(ctx)), 200));
        table.add(HandlerType.PUT, WORKSPACE, "workspaces", "Update a workspace's description", 200,
                ctx -> relay(ctx, client(ctx).put(workspacePath(ctx.pathParam("name")), token(ctx), workspaceBody(ctx)), 200));
        table.add(HandlerType.DELETE, WORKSPACE, "workspaces",
                "Delete a workspace (409 while it holds resources; ?cascade=true deletes them asynchronously)", 200,
                this::deleteWorkspace);
        table.add(HandlerType.GET, MEMBERS, "members", "List a workspace's members", 200,
                ctx -> relay(ctx, client(ctx).get(membersPath(ctx), listQuery(ctx), token(ctx)), 200));
        table.add(HandlerType.POST, MEMBERS, "members", "Add a member or merge roles into an existing one", 201,
                ctx -> {
                    String body = json.objectBody(ctx).toString();
                    relay(ctx, memberWrite(ctx, token -> client(ctx).post(membersPath(ctx), token, body)), 201);
                });
        table.add(HandlerType.PUT, MEMBER, "members", "Replace a member's roles", 200,
                ctx -> {
                    String body = json.objectBody(ctx).toString();
                    relay(ctx, memberWrite(ctx, token -> client(ctx).put(memberPath(ctx), token, body)), 200);
                });
        table.add(HandlerType.DELETE, MEMBER, "members", "Remove a member", 200, this::deleteMember);
    }

    /**
     * A workspace create or update body, its description checked here against the rule Keycloak's
     * group column needs, so an oversized one is 422 naming the limit rather than a database error.
     */
    private String workspaceBody(Context ctx) {
        ObjectNode body = json.objectBody(ctx);
        Json.description(body, Descriptions.WORKSPACE);
        return body.toString();
    }

    private ExtensionClient.Reply memberWrite(Context ctx, java.util.function.Function<String, ExtensionClient.Reply> write) {
        return calls.propagatedWrite(ctx, writeWait.get(), write);
    }

    private void deleteMember(Context ctx) {
        ExtensionClient.Reply reply = memberWrite(ctx, token -> client(ctx).delete(memberPath(ctx), token));
        if (reply.isSuccess()) {
            json.send(ctx, 200, json.deleted(ctx.pathParam("principal_id")));
        } else {
            relay(ctx, reply, 200);
        }
    }

    private void deleteWorkspace(Context ctx) {
        String name = ctx.pathParam("name");
        boolean cascade = cascade(ctx);
        String token = token(ctx);
        ExtensionClient.Reply found = client(ctx).get(workspacePath(name), Map.of(), token);
        if (found.status() == 404 && retryFailedCleanup(ctx, name, token)) {
            return;
        }
        if (!found.isSuccess()) {
            relay(ctx, found, 200);
            return;
        }
        String id = parse(found.body()).path("id").asText(name);
        Map<ResourceKind, Long> remaining = resources.countByKind(name);
        if (cascade) {
            startCleanup(ctx, name, id, token);
        } else if (!remaining.isEmpty()) {
            throw ApiException.conflict(nonEmptyMessage(name, remaining));
        } else {
            ExtensionClient.Reply deleted = client(ctx).delete(workspacePath(name), token);
            if (deleted.isSuccess()) {
                sweepLateCreates(name);
                json.send(ctx, 200, json.deleted(id));
            } else {
                relay(ctx, deleted, 200);
            }
        }
    }

    /**
     * A resource whose create committed after the emptiness check but asked Keycloak before this
     * deletion would outlive its workspace; the creates check after inserting, so removing what
     * is left once Keycloak has deleted the workspace closes the gap (see {@code ResourceRoutes}).
     */
    private void sweepLateCreates(String name) {
        int swept = resources.deleteWorkspaceContents(name);
        if (swept > 0) {
            LOG.info("Deleted {} resource(s) created in workspace '{}' while it was being deleted", swept, name);
        }
    }

    /**
     * A workspace whose cleanup failed is invisible, so its GET answers 404. Deleting it again
     * retries: Keycloak decides (with the caller's token) whether the caller may set its stage.
     */
    private boolean retryFailedCleanup(Context ctx, String name, String token) {
        Optional<Cleanup> cleanup = cleanups.find(name);
        if (cleanup.isEmpty() || cleanup.get().stage() != CleanupStage.failed) {
            return false;
        }
        startCleanup(ctx, name, name, token);
        return true;
    }

    private void startCleanup(Context ctx, String name, String id, String token) {
        ExtensionClient.Reply staged = client(ctx).put(ExtensionApi.deletionStagePath(name), token,
                "{\"stage\":\"" + CleanupStage.pending.name() + "\"}");
        if (!staged.isSuccess()) {
            relay(ctx, staged, 202);
            return;
        }
        cleaner.start(name, RequestContext.id(ctx));
        ObjectNode accepted = json.mapper().createObjectNode();
        accepted.put("id", id);
        accepted.put("message", "Workspace deletion started; the workspace and its resources are being deleted.");
        accepted.put("deletion_stage", CleanupStage.pending.name());
        json.send(ctx, 202, accepted);
    }

    /** The seed's message, kinds in a stable order: {@code project (3), dataset (5)}. */
    static String nonEmptyMessage(String workspace, Map<ResourceKind, Long> remaining) {
        StringJoiner kinds = new StringJoiner(", ");
        remaining.forEach((kind, count) -> kinds.add(kind.label() + " (" + count + ")"));
        return "Cannot delete workspace '" + workspace + "': workspace contains entities that must be deleted first: " + kinds;
    }

    private static boolean cascade(Context ctx) {
        String cascade = ctx.queryParam("cascade");
        if (cascade == null || cascade.equals("false")) {
            return false;
        }
        if (cascade.equals("true")) {
            return true;
        }
        throw ApiException.unprocessable("cascade must be true or false");
    }

    private ExtensionClient client(Context ctx) {
        return calls.client(ctx);
    }

    private String token(Context ctx) {
        return calls.token(ctx);
    }

    private static Map<String, String> listQuery(Context ctx) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String key : new String[] {PageQuery.PAGE, PageQuery.PAGE_SIZE, PageQuery.SORT}) {
            String value = ctx.queryParam(key);
            if (value != null) {
                query.put(key, value);
            }
        }
        return query;
    }

    private static String workspacePath(String name) {
        return ExtensionApi.workspacePath(name);
    }

    private static String membersPath(Context ctx) {
        return ExtensionApi.membersPath(ctx.pathParam("workspace"));
    }

    private static String memberPath(Context ctx) {
        return ExtensionApi.memberPath(ctx.pathParam("workspace"), ctx.pathParam("principal_id"));
    }

    private void relay(Context ctx, ExtensionClient.Reply reply, int successStatus) {
        calls.relay(ctx, reply, successStatus);
    }

    private JsonNode parse(String body) {
        return calls.parse(body);
    }
}
