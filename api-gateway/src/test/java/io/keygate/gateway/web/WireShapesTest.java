package io.keygate.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.api.ErrorBody;
import io.keygate.core.api.MemberBody;
import io.keygate.core.api.RoleBindingBody;
import io.keygate.core.api.WorkspaceBody;
import io.keygate.core.api.WorkspaceRolesBody;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** keygate-core's wire records, written and read by the gateway's Jackson, carry exactly the documented field names. */
class WireShapesTest {

    private final ObjectMapper mapper = new Json().mapper();

    @Test
    void workspaceFields() {
        WorkspaceBody body = new WorkspaceBody("id1", "ml-team", "d", "2026-01-01T00:00:00Z", "alice", "2026-01-02T00:00:00Z", "bob");
        assertEquals(List.of("id", "name", "description", "created_at", "created_by", "updated_at", "updated_by"), fields(body));
        JsonNode staged = mapper.valueToTree(body.withDeletionStage(null));
        assertEquals(true, staged.has("deletion_stage") && staged.get("deletion_stage").isNull(), staged.toString());
    }

    @Test
    void memberFieldsAndPendingOnlyWhenPending() {
        MemberBody member = new MemberBody("a@example.com", List.of("Viewer"), "2026-01-01T00:00:00Z", "bob");
        assertEquals(List.of("principal", "roles", "granted_at", "granted_by"), fields(member));
        assertFalse(mapper.valueToTree(member).has("pending"));
        assertEquals(true, mapper.valueToTree(member.pending()).get("pending").asBoolean());
    }

    @Test
    void roleBindingAndErrorFields() {
        RoleBindingBody binding = new RoleBindingBody("u", "rb-u", "p", "ws", "Viewer", "bob", "t", null, null);
        assertEquals(List.of("id", "name", "principal", "workspace", "role", "granted_by", "granted_at", "revoked_at", "revoked_by"),
                fields(binding));
        assertEquals("{\"detail\":\"no\"}", mapper.valueToTree(new ErrorBody("no")).toString());
    }

    @Test
    void principalRolesAreReadBack() throws Exception {
        WorkspaceRolesBody.OfPrincipal read = mapper.readValue("{\"workspaces\":{\"ml-team\":\"Admin\"},\"platform_admin\":true}",
                WorkspaceRolesBody.OfPrincipal.class);
        assertEquals(Map.of("ml-team", "Admin"), read.workspaces());
        assertEquals(true, read.platform_admin());
    }

    private List<String> fields(Object body) {
        List<String> names = new java.util.ArrayList<>();
        mapper.valueToTree(body).fieldNames().forEachRemaining(names::add);
        return names;
    }
}
