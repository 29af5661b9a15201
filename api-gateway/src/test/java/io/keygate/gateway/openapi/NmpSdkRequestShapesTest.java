package io.keygate.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The request bodies NeMo Platform's Python SDK sends (read in its source,
 * {@code sdk/python/nemo-platform/src/nemo_platform/}: {@code types/workspaces/workspace_create_params.py},
 * {@code workspace_update_params.py}, {@code member_create_params.py}, {@code member_update_params.py},
 * {@code types/projects/project_create_params.py}, {@code project_update_params.py}, and the bodies
 * built in {@code resources/workspaces/members.py}) validate against the request schemas the
 * gateway publishes, with a JSON Schema 2020-12 validator; bodies the SDK cannot send (required
 * field missing, bad name, unknown role) do not, so the check can fail.
 * {@code wait_role_propagation} is a query parameter in the SDK, not a body field.
 * The SDK's role bindings ({@code /apis/auth/v2/iam/role-bindings}) have a request schema too.
 */
class NmpSdkRequestShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiSchemas SCHEMAS = OpenApiSchemas.builtIn();

    /** Operation -> bodies the SDK sends for it. */
    private static final Map<String, List<String>> SDK_BODIES = new LinkedHashMap<>();

    static {
        SDK_BODIES.put("POST /apis/entities/v2/workspaces", List.of("{\"name\":\"ml-team\",\"description\":\"Machine Learning Team workspace\"}",
                "{\"name\":\"research\"}"));
        SDK_BODIES.put("PUT /apis/entities/v2/workspaces/{name}", List.of("{\"description\":\"Updated description for ML Team\"}", "{}"));
        SDK_BODIES.put("POST /apis/entities/v2/workspaces/{workspace}/members", List.of("{\"principal\":\"user@example.com\",\"roles\":[\"Editor\"]}",
                "{\"principal\":\"user-123\",\"roles\":[\"Viewer\",\"Editor\"]}", "{\"principal\":\"group-id\"}"));
        SDK_BODIES.put("PUT /apis/entities/v2/workspaces/{workspace}/members/{principal_id}", List.of("{\"roles\":[\"Viewer\",\"Editor\"]}",
                "{\"roles\":[\"Admin\"]}"));
        SDK_BODIES.put("POST /apis/entities/v2/workspaces/{workspace}/projects", List.of("{\"name\":\"ml-project\",\"description\":\"NLP\"}",
                "{\"name\":\"nlp-research\"}"));
        SDK_BODIES.put("PUT /apis/entities/v2/workspaces/{workspace}/projects/{name}", List.of("{\"description\":\"Updated description\"}"));
        SDK_BODIES.put("PATCH /apis/entities/v2/workspaces/{workspace}/projects/{name}", List.of("{\"description\":\"Updated description\"}"));
    }

    private static final Map<String, List<String>> NOT_SDK_BODIES = Map.of(
            "POST /apis/entities/v2/workspaces", List.of("{}", "{\"name\":\"ML-Team\"}", "{\"name\":\"a--b\"}", "{\"name\":7}"),
            "POST /apis/entities/v2/workspaces/{workspace}/members", List.of("{\"roles\":[\"Editor\"]}", "{\"principal\":\"u\",\"roles\":[\"Owner\"]}"),
            "PUT /apis/entities/v2/workspaces/{workspace}/members/{principal_id}", List.of("{}", "{\"roles\":\"Admin\"}"),
            "POST /apis/entities/v2/workspaces/{workspace}/projects", List.of("{\"description\":\"no name\"}"));

    @Test
    void everySdkRequestBodyValidatesAgainstThePublishedRequestSchema() throws Exception {
        int bodies = 0;
        for (Map.Entry<String, List<String>> operation : SDK_BODIES.entrySet()) {
            JsonSchema schema = requestSchema(operation.getKey());
            for (String body : operation.getValue()) {
                Set<ValidationMessage> messages = schema.validate(JSON.readTree(body));
                assertEquals(Set.of(), messages, operation.getKey() + " " + body);
                bodies++;
            }
        }
        System.out.println("[keygate-test] NMP SDK request shapes: " + bodies + " bodies over " + SDK_BODIES.size()
                + " operations validate");
    }

    @Test
    void bodiesTheSdkCannotSendAreRejectedBySchema() throws Exception {
        for (Map.Entry<String, List<String>> operation : NOT_SDK_BODIES.entrySet()) {
            JsonSchema schema = requestSchema(operation.getKey());
            for (String body : operation.getValue()) {
                assertFalse(schema.validate(JSON.readTree(body)).isEmpty(), operation.getKey() + " must refuse " + body);
            }
        }
    }

    @Test
    void everyWriteOfTheSdksResourcesHasARequestSchema() {
        for (String operation : SDK_BODIES.keySet()) {
            assertNotNull(SCHEMAS.requestSchema(operation), operation);
        }
        assertNotNull(SCHEMAS.requestSchema("POST /apis/auth/v2/iam/role-bindings"), "the SDK's role-binding create");
    }

    /** The request schema of {@code operation}, resolved within the published components. */
    private static JsonSchema requestSchema(String operation) throws Exception {
        String name = SCHEMAS.requestSchema(operation);
        assertNotNull(name, operation + " has no request schema");
        ObjectNode document = JSON.createObjectNode();
        document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        document.put("$ref", "#/$defs/" + name);
        document.set("$defs", JSON.readTree(SCHEMAS.schemas().toString().replace("#/components/schemas/", "#/$defs/")));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema((JsonNode) document);
    }
}
