package io.keygate.gateway.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.core.Descriptions;
import io.keygate.core.ResourceNames;
import io.keygate.gateway.auth.RequestAuthorizer;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.PageRequest;
import io.keygate.gateway.web.RouteTable;
import java.util.Set;
import java.util.function.Predicate;

/**
 * HTTP routes for projects, models, filesets (datasets), deployments and jobs, in NeMo Platform's
 * shapes. Authorization is not decided here: the gateway's policy has already allowed the request
 * for the workspace in the path before a handler runs.
 */
public final class ResourceRoutes {

    /** Fields the gateway owns; a client cannot set them. */
    private static final Set<String> OWNED_FIELDS = Set.of("id", "name", "workspace", "description", "created_at",
            "created_by", "updated_at", "updated_by", "status");

    private final ResourceRepository repository;
    private final Json json;
    private final Predicate<String> beingDeleted;
    private final Predicate<String> workspaceExists;

    /**
     * @param beingDeleted    true for a workspace under asynchronous deletion: it is invisible, so its
     *                        resources answer 404 even to a token minted before the deletion started
     * @param workspaceExists asked of Keycloak after every authenticated create: token claims may
     *                        name a workspace that has since been deleted, and a PlatformAdmin needs
     *                        no role there at all
     */
    public ResourceRoutes(ResourceRepository repository, Json json, Predicate<String> beingDeleted,
                          Predicate<String> workspaceExists) {
        this.repository = repository;
        this.json = json;
        this.beingDeleted = beingDeleted;
        this.workspaceExists = workspaceExists;
    }

    public void register(RouteTable table) {
        for (ResourceKind kind : ResourceKind.values()) {
            String tag = kind.storedName();
            table.add(HandlerType.GET, kind.collectionPath(), tag, "List " + kind.storedName(), 200, ctx -> list(ctx, kind));
            table.add(HandlerType.POST, kind.collectionPath(), tag, "Create a " + kind.label(), 201, ctx -> create(ctx, kind));
            table.add(HandlerType.GET, kind.itemPath(), tag, "Get a " + kind.label(), 200, ctx -> get(ctx, kind));
            kind.updateMethods().forEach(method -> table.add(method,
                    kind.itemPath(), tag, "Update a " + kind.label(), 200, ctx -> update(ctx, kind)));
            table.add(HandlerType.DELETE, kind.itemPath(), tag, "Delete a " + kind.label(), 200, ctx -> delete(ctx, kind));
        }
        String jobPath = ResourceKind.JOB.itemPath();
        table.add(HandlerType.POST, jobPath + "/cancel", "jobs", "Cancel a job", 200, this::cancelJob);
        table.add(HandlerType.GET, jobPath + "/logs", "jobs", "Read a job's logs", 200, this::jobLogs);
    }

    private void list(Context ctx, ResourceKind kind) {
        PageRequest request = PageRequest.from(ctx);
        json.send(ctx, 200, repository.list(kind, workspace(ctx), request).toJson(json.mapper(), this::toJson));
    }

    /**
     * Creates the resource, then asks Keycloak whether its workspace still exists and takes the
     * create back (404) when it does not. A token keeps its workspace roles until it expires, so
     * without this a token minted before its workspace was deleted could leave resources behind for
     * the next workspace of that name. Asking after the insert (not before) leaves no gap: a
     * deletion that ran its emptiness check before the insert sweeps the workspace after Keycloak
     * deleted it ({@code WorkspaceRoutes}), and one that finished first is seen here.
     */
    private void create(Context ctx, ResourceKind kind) {
        ObjectNode body = json.objectBody(ctx);
        String name = requiredName(body);
        String workspace = workspace(ctx);
        Resource created = repository.create(kind, workspace, name, Json.description(body, Descriptions.RESOURCE), clientFields(body),
                RequestContext.id(ctx));
        // With authentication off there is nobody to check for; the store then trusts the path.
        boolean authenticated = RequestContext.principal(ctx).filter(principal -> principal != RequestAuthorizer.ANONYMOUS).isPresent();
        if (authenticated && !stillExists(workspace, created)) {
            throw ApiException.notFound("workspace '" + workspace + "' not found");
        }
        json.send(ctx, 201, toJson(created));
    }

    /** Asks Keycloak; takes the create back unless the answer is yes (also when Keycloak cannot answer). */
    private boolean stillExists(String workspace, Resource created) {
        boolean exists;
        try {
            exists = workspaceExists.test(workspace);
        } catch (RuntimeException cannotTell) {
            repository.discard(created.id());
            throw cannotTell;
        }
        if (!exists) {
            repository.discard(created.id());
        }
        return exists;
    }

    private void get(Context ctx, ResourceKind kind) {
        json.send(ctx, 200, toJson(repository.get(kind, workspace(ctx), ctx.pathParam("name"))));
    }

    private void update(Context ctx, ResourceKind kind) {
        ObjectNode body = json.objectBody(ctx);
        JsonNode name = body.get("name");
        if (name != null && !name.asText().equals(ctx.pathParam("name"))) {
            throw ApiException.unprocessable("a " + kind.label() + " cannot be renamed");
        }
        Resource updated = repository.update(kind, workspace(ctx), ctx.pathParam("name"), Json.description(body, Descriptions.RESOURCE),
                clientFields(body), RequestContext.id(ctx));
        json.send(ctx, 200, toJson(updated));
    }

    private void delete(Context ctx, ResourceKind kind) {
        Resource deleted = repository.delete(kind, workspace(ctx), ctx.pathParam("name"));
        json.send(ctx, 200, json.deleted(deleted.id()));
    }

    private void cancelJob(Context ctx) {
        json.send(ctx, 200, toJson(repository.cancelJob(workspace(ctx), ctx.pathParam("name"), RequestContext.id(ctx))));
    }

    private void jobLogs(Context ctx) {
        PageRequest request = PageRequest.from(ctx);
        json.send(ctx, 200, repository.logs(workspace(ctx), ctx.pathParam("name"), request).toJson(json.mapper(), entry -> {
            ObjectNode line = json.mapper().createObjectNode();
            line.put("timestamp", Json.timestamp(entry.timestamp()));
            line.put("message", entry.message());
            return line;
        }));
    }

    private String workspace(Context ctx) {
        String workspace = ctx.pathParam("workspace");
        ResourceNames.violation(workspace).ifPresent(problem -> {
            throw ApiException.unprocessable("invalid workspace name: " + problem);
        });
        if (beingDeleted.test(workspace)) {
            throw ApiException.notFound("workspace '" + workspace + "' not found");
        }
        return workspace;
    }

    private static String requiredName(ObjectNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            throw ApiException.unprocessable("name is required and must be a string");
        }
        ResourceNames.violation(name.asText()).ifPresent(problem -> {
            throw ApiException.unprocessable("invalid name: " + problem);
        });
        return name.asText();
    }

    private static ObjectNode clientFields(ObjectNode body) {
        ObjectNode fields = body.deepCopy();
        fields.remove(OWNED_FIELDS);
        return fields;
    }

    /** The wire object: the client's fields, then the gateway's own (which always win). */
    ObjectNode toJson(Resource resource) {
        ObjectNode node = json.mapper().createObjectNode();
        node.setAll(resource.spec());
        node.put("id", resource.id());
        node.put("name", resource.name());
        node.put("workspace", resource.workspace());
        if (resource.description() != null) {
            node.put("description", resource.description());
        } else {
            node.putNull("description");
        }
        if (resource.status() != null) {
            node.put("status", resource.status());
        }
        node.put("created_at", Json.timestamp(resource.createdAt()));
        node.put("created_by", resource.createdBy());
        node.put("updated_at", Json.timestamp(resource.updatedAt()));
        node.put("updated_by", resource.updatedBy());
        return node;
    }
}
