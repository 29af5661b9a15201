package io.keygate.gateway.orgs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.core.Descriptions;
import io.keygate.core.OrgRole;
import io.keygate.core.ResourceNames;
import io.keygate.gateway.audit.AuditEntry;
import io.keygate.gateway.audit.JdbcAuditSink;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.RouteTable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * NICo's organization endpoints under {@code /v2/org/{org}/keygate/...}. Who may call which one
 * is decided by the policy before these handlers run (org membership, {@code TENANT_ADMIN},
 * {@code PROVIDER_ADMIN} / {@code PROVIDER_VIEWER}); the handlers only read the caller's claims
 * and the gateway's store. There is no "list users of an org" endpoint: that is Keycloak's job.
 */
public final class OrgRoutes {

    private static final String BASE = "/v2/org/{org}/keygate";
    private static final int MAX_AUDIT_ENTRIES = 1000;

    private final AllocationRepository allocations;
    private final JdbcAuditSink audit;
    private final Json json;

    public OrgRoutes(AllocationRepository allocations, JdbcAuditSink audit, Json json) {
        this.allocations = allocations;
        this.audit = audit;
        this.json = json;
    }

    public void register(RouteTable table) {
        table.add(HandlerType.GET, BASE + "/user/current", "orgs", "The calling user as this organization sees them", 200, this::currentUser)
                .add(HandlerType.GET, BASE + "/service-account/current", "orgs", "Service-account status of the caller", 200,
                        this::currentServiceAccount)
                .add(HandlerType.GET, BASE + "/tenant/current", "orgs", "The organization's tenant (TENANT_ADMIN)", 200, this::currentTenant)
                .add(HandlerType.GET, BASE + "/allocation", "orgs", "List allocations", 200, this::listAllocations)
                .add(HandlerType.POST, BASE + "/allocation", "orgs", "Create an allocation (PROVIDER_ADMIN)", 201, this::createAllocation)
                .add(HandlerType.GET, BASE + "/allocation/{id}", "orgs", "Get an allocation", 200, this::getAllocation)
                .add(HandlerType.PUT, BASE + "/allocation/{id}", "orgs", "Update an allocation (PROVIDER_ADMIN)", 200, this::updateAllocation)
                .add(HandlerType.PATCH, BASE + "/allocation/{id}", "orgs", "Update an allocation (PROVIDER_ADMIN)", 200, this::updateAllocation)
                .add(HandlerType.DELETE, BASE + "/allocation/{id}", "orgs", "Delete an allocation (PROVIDER_ADMIN)", 200, this::deleteAllocation)
                .add(HandlerType.GET, BASE + "/audit", "orgs", "Audit entries of this organization's API", 200, this::auditEntries);
    }

    private void currentUser(Context ctx) {
        Principal principal = principal(ctx);
        ObjectNode user = json.mapper().createObjectNode();
        user.put("id", principal.subject());
        user.put("email", serviceAccount(principal) ? "" : principal.email());
        user.put("name", serviceAccount(principal) ? "" : principal.displayName());
        user.put("org", ctx.pathParam("org"));
        user.set("roles", roles(principal, ctx.pathParam("org")));
        user.put("service_account", serviceAccount(principal));
        json.send(ctx, 200, user);
    }

    private void currentServiceAccount(Context ctx) {
        Principal principal = principal(ctx);
        ObjectNode status = json.mapper().createObjectNode();
        status.put("org", ctx.pathParam("org"));
        status.put("enabled", serviceAccount(principal));
        status.put("principal", principal.id());
        status.set("roles", roles(principal, ctx.pathParam("org")));
        json.send(ctx, 200, status);
    }

    private void currentTenant(Context ctx) {
        String org = ctx.pathParam("org");
        ObjectNode tenant = json.mapper().createObjectNode();
        tenant.put("id", UUID.nameUUIDFromBytes(("keygate-tenant:" + org).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        tenant.put("org", org);
        tenant.put("requested_by", principal(ctx).id());
        json.send(ctx, 200, tenant);
    }

    private void listAllocations(Context ctx) {
        ArrayNode data = json.mapper().createArrayNode();
        allocations.list(ctx.pathParam("org")).forEach(allocation -> data.add(toJson(allocation)));
        ObjectNode page = json.mapper().createObjectNode();
        page.set("data", data);
        json.send(ctx, 200, page);
    }

    private void createAllocation(Context ctx) {
        ObjectNode body = json.objectBody(ctx);
        String name = body.path("name").asText(null);
        ResourceNames.violation(name).ifPresent(problem -> {
            throw ApiException.unprocessable(problem);
        });
        Allocation created = allocations.create(ctx.pathParam("org"), name, Json.description(body, Descriptions.RESOURCE),
                RequestContext.id(ctx), Json.now());
        json.send(ctx, 201, toJson(created));
    }

    private void getAllocation(Context ctx) {
        json.send(ctx, 200, toJson(allocations.get(ctx.pathParam("org"), ctx.pathParam("id"))));
    }

    private void updateAllocation(Context ctx) {
        ObjectNode body = json.objectBody(ctx);
        if (body.has("name")) {
            throw ApiException.unprocessable("an allocation cannot be renamed; only 'description' can change");
        }
        String description = Json.description(body, Descriptions.RESOURCE);
        json.send(ctx, 200, toJson(allocations.updateDescription(ctx.pathParam("org"), ctx.pathParam("id"), description,
                RequestContext.id(ctx), Json.now())));
    }

    private void deleteAllocation(Context ctx) {
        allocations.delete(ctx.pathParam("org"), ctx.pathParam("id"));
        json.send(ctx, 200, json.deleted(ctx.pathParam("id")));
    }

    private void auditEntries(Context ctx) {
        List<AuditEntry> entries = audit.recentUnder("/v2/org/" + ctx.pathParam("org") + "/", MAX_AUDIT_ENTRIES);
        ArrayNode data = json.mapper().createArrayNode();
        for (AuditEntry entry : entries) {
            ObjectNode item = data.addObject();
            item.put("time", entry.time().toString());
            item.put("principal", entry.principal());
            item.put("method", entry.method());
            item.put("path", entry.path());
            item.put("status", entry.status());
            item.put("outcome", entry.outcome());
        }
        ObjectNode page = json.mapper().createObjectNode();
        page.set("data", data);
        json.send(ctx, 200, page);
    }

    private ObjectNode toJson(Allocation allocation) {
        ObjectNode node = json.mapper().createObjectNode();
        node.put("id", allocation.id());
        node.put("org", allocation.org());
        node.put("name", allocation.name());
        node.put("description", allocation.description());
        node.put("created_at", Json.timestamp(allocation.createdAt()));
        node.put("created_by", allocation.createdBy());
        node.put("updated_at", Json.timestamp(allocation.updatedAt()));
        node.put("updated_by", allocation.updatedBy());
        return node;
    }

    private JsonNode roles(Principal principal, String org) {
        ArrayNode roles = json.mapper().createArrayNode();
        Set<String> names = new TreeSet<>();
        principal.orgRoles().getOrDefault(org, Set.of()).stream().map(OrgRole::name).forEach(names::add);
        names.forEach(roles::add);
        return roles;
    }

    /** Service accounts carry no email (NICo: "Service accounts have empty email/firstName/lastName"). */
    private static boolean serviceAccount(Principal principal) {
        return principal.email() == null || principal.email().isBlank();
    }

    private static Principal principal(Context ctx) {
        return RequestContext.principal(ctx).orElseThrow(() -> new ApiException(401, "authentication required"));
    }
}
