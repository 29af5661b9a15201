package io.keygate.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request and response schemas of every route, written once in
 * {@code keygate/openapi/schemas.yaml} and merged into the generated OpenAPI document: component
 * schemas, each operation's JSON request body, success body and query parameters, and
 * {@code {"detail"}} for every error status. Routes and schemas are matched by
 * {@code "METHOD /path"}; {@link #unmatched} names what is on one side only.
 */
public final class OpenApiSchemas {

    public static final String RESOURCE = "keygate/openapi/schemas.yaml";
    static final List<String> ERROR_STATUSES = List.of("400", "401", "403", "404", "409", "413", "422", "503");

    private final JsonNode schemas;
    private final JsonNode operations;

    private OpenApiSchemas(JsonNode definition) {
        this.schemas = definition.required("schemas");
        this.operations = definition.required("operations");
    }

    /** The built-in definitions (from the class path). */
    public static OpenApiSchemas builtIn() {
        try (InputStream in = OpenApiSchemas.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new OpenApiSchemas(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request-body schema name of {@code "METHOD /path"}, or null when the operation takes no body. */
    public String requestSchema(String operation) {
        return operations.path(operation).path("request").asText(null);
    }

    /** The component schemas, by name. */
    public JsonNode schemas() {
        return schemas;
    }

    /** Adds schemas to {@code document} (as built by the route table) in place, and returns it. */
    public ObjectNode apply(ObjectNode document) {
        document.withObjectProperty("components").withObjectProperty("schemas").setAll((ObjectNode) schemas.deepCopy());
        for (Map.Entry<String, JsonNode> path : document.withObjectProperty("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode definition = operations.get(key(method.getKey(), path.getKey()));
                if (definition != null) {
                    describe((ObjectNode) method.getValue(), definition);
                }
            }
        }
        return document;
    }

    /** {@code "METHOD /path"} keys present in only one of {@code document}'s paths and the definitions. */
    public Set<String> unmatched(JsonNode document) {
        Set<String> routes = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> routes.add(key(method, path.getKey()))));
        Set<String> defined = new TreeSet<>();
        operations.fieldNames().forEachRemaining(defined::add);
        Set<String> unmatched = new TreeSet<>(routes);
        unmatched.addAll(defined);
        Set<String> both = new TreeSet<>(routes);
        both.retainAll(defined);
        unmatched.removeAll(both);
        return unmatched;
    }

    /** Every {@code "METHOD /path"} with a definition. */
    public List<String> operations() {
        List<String> names = new ArrayList<>();
        operations.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path;
    }

    private static void describe(ObjectNode operation, JsonNode definition) {
        String request = definition.path("request").asText(null);
        if (request != null) {
            ObjectNode body = operation.putObject("requestBody");
            body.put("required", true);
            body.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref(request));
        }
        ArrayNode parameters = operation.withArrayProperty("parameters");
        definition.path("query").forEach(name -> {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", name.asText());
            parameter.put("in", "query");
            parameter.put("required", false);
            parameter.putObject("schema").put("type", queryType(name.asText()));
        });
        ObjectNode responses = operation.withObjectProperty("responses");
        for (Map.Entry<String, JsonNode> status : responses.properties()) {
            if (status.getKey().startsWith("2")) {
                success((ObjectNode) status.getValue(), definition);
            }
        }
        for (String status : ERROR_STATUSES) {
            responses.putObject(status).put("description", "Error")
                    .putObject("content").putObject("application/json").putObject("schema").put("$ref", ref("Error"));
        }
    }

    private static void success(ObjectNode response, JsonNode definition) {
        String type = definition.path("responseType").asText("application/json");
        ObjectNode schema = response.putObject("content").putObject(type).putObject("schema");
        if (type.equals("application/json")) {
            schema.put("$ref", ref(definition.required("response").asText()));
        } else {
            schema.put("type", "string");
        }
    }

    private static String queryType(String name) {
        return switch (name) {
            case "page", "page_size", "status" -> "integer";
            case "failed_only", "wait_role_propagation" -> "boolean";
            default -> "string";
        };
    }

    private static String ref(String schema) {
        return "#/components/schemas/" + schema;
    }
}
