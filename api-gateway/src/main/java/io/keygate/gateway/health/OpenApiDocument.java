package io.keygate.gateway.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.gateway.web.RouteTable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAPI 3.1 document generated from the routes actually registered, so it cannot drift from
 * them. Bodies are described loosely (JSON objects); paths, methods, parameters, success codes and
 * the {@code {"detail"}} error shape are exact.
 */
public final class OpenApiDocument {

    public static final String PATH = "/openapi.json";

    private static final Pattern PARAMETER = Pattern.compile("[{<]([a-zA-Z_]+)[}>]");

    private OpenApiDocument() {
    }

    /** Javalin's {@code <rest>} (may span slashes) becomes OpenAPI's {@code {rest}}. */
    public static String openApiPath(String javalinPath) {
        return javalinPath.replace('<', '{').replace('>', '}');
    }

    public static ObjectNode build(ObjectMapper mapper, List<RouteTable.Route> routes) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "keygate gateway API");
        info.put("version", "0.1.0");
        info.put("description", "Workspace-based authorization in front of a NeMo-compatible API.");
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("bearer")
                .put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        error.putObject("properties").putObject("detail").put("type", "string");
        ObjectNode paths = doc.putObject("paths");
        for (RouteTable.Route route : routes) {
            ObjectNode operations = paths.has(openApiPath(route.path()))
                    ? (ObjectNode) paths.get(openApiPath(route.path())) : paths.putObject(openApiPath(route.path()));
            operations.set(route.method().name().toLowerCase(Locale.ROOT), operation(mapper, route));
        }
        return doc;
    }

    private static ObjectNode operation(ObjectMapper mapper, RouteTable.Route route) {
        ObjectNode operation = mapper.createObjectNode();
        operation.put("summary", route.summary());
        operation.putArray("tags").add(route.tag());
        ArrayNode parameters = operation.putArray("parameters");
        Matcher matcher = PARAMETER.matcher(route.path());
        while (matcher.find()) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", matcher.group(1));
            parameter.put("in", "path");
            parameter.put("required", true);
            parameter.putObject("schema").put("type", "string");
        }
        ObjectNode responses = operation.putObject("responses");
        responses.putObject(Integer.toString(route.successStatus())).put("description", "Success");
        for (String status : List.of("401", "403", "404", "409", "422")) {
            responses.putObject(status).put("description", "Error")
                    .putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
        }
        return operation;
    }
}
