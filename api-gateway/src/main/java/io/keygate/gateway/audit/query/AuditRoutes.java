package io.keygate.gateway.audit.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.core.ApiException;
import io.keygate.core.Role;
import io.keygate.gateway.audit.AuditEntry;
import io.keygate.gateway.audit.SecretMasker;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.auth.RequestContext;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.Page;
import io.keygate.gateway.web.PageRequest;
import io.keygate.gateway.web.RouteTable;
import java.util.Optional;

/**
 * The audit query API (DESIGN section 8, "queryable by admins"):
 * <ul>
 *   <li>{@code GET /apis/auth/v2/audit}: every entry; platform admins only.</li>
 *   <li>{@code GET /apis/entities/v2/workspaces/{workspace}/audit}: the entries the policy decided
 *       on that workspace; the workspace's Admins (and platform admins).</li>
 * </ul>
 * Security contract: the policy ({@code audit.read} granted to no role, {@code workspaces.audit.list}
 * to Admin) refuses everyone else before these handlers run; the handlers check the same again from
 * the verified principal, so a policy file that forgets the rule still cannot leak the trail. Paths
 * are masked again on the way out ({@link SecretMasker}), although they were masked when stored.
 * Answers NeMo Platform's page shape, newest first by default.
 */
public final class AuditRoutes {

    public static final String ALL = "/apis/auth/v2/audit";
    public static final String OF_WORKSPACE = "/apis/entities/v2/workspaces/{workspace}/audit";

    private final AuditEntries entries;
    private final Json json;

    public AuditRoutes(AuditEntries entries, Json json) {
        this.entries = entries;
        this.json = json;
    }

    public void register(RouteTable table) {
        table.add(HandlerType.GET, ALL, "audit", "Audit entries of every request audited (PlatformAdmin)", 200, this::all)
                .add(HandlerType.GET, OF_WORKSPACE, "audit", "Audit entries of one workspace (its Admins)", 200, this::ofWorkspace);
    }

    private void all(Context ctx) {
        Optional<Principal> principal = RequestContext.principal(ctx);
        if (principal.isPresent() && !principal.get().platformAdmin()) {
            throw ApiException.forbidden("the audit trail of the whole platform is for platform admins only");
        }
        answer(ctx, AuditFilter.from(ctx, null));
    }

    private void ofWorkspace(Context ctx) {
        String workspace = ctx.pathParam("workspace");
        Optional<Principal> principal = RequestContext.principal(ctx);
        if (principal.isPresent() && !principal.get().platformAdmin()
                && principal.get().roleIn(workspace).filter(role -> role == Role.Admin).isEmpty()) {
            throw ApiException.forbidden("the audit trail of workspace '" + workspace + "' is for its Admins only");
        }
        answer(ctx, AuditFilter.from(ctx, workspace));
    }

    private void answer(Context ctx, AuditFilter filter) {
        PageRequest page = PageRequest.from(ctx);
        if (page.sortColumn().equals("updated_at")) {
            throw ApiException.unprocessable("audit entries never change; sort must be -created_at (newest first) or created_at");
        }
        AuditEntries.Result result = entries.find(filter, page);
        json.send(ctx, 200, new Page<>(result.entries(), page, result.total()).toJson(json.mapper(), this::toJson));
    }

    private ObjectNode toJson(AuditEntries.Stored stored) {
        AuditEntry entry = stored.entry();
        ObjectNode node = json.mapper().createObjectNode();
        node.put("id", Long.toString(stored.id()));
        node.put("created_at", entry.time().toString());
        node.put("principal", entry.principal());
        node.put("issuer", entry.issuer());
        node.put("method", entry.method());
        node.put("path", masked(entry.path()));
        node.put("workspace", entry.workspace());
        node.put("status", entry.status());
        node.put("outcome", entry.outcome());
        node.put("client_address", entry.clientAddress());
        node.put("duration_ms", entry.durationMillis());
        return node;
    }

    private static String masked(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        return question < 0 ? SecretMasker.maskPathAndQuery(pathAndQuery, null)
                : SecretMasker.maskPathAndQuery(pathAndQuery.substring(0, question), pathAndQuery.substring(question + 1));
    }
}
