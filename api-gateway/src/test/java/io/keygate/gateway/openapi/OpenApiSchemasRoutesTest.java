package io.keygate.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.health.OpenApiDocument;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With every route registered (a Keycloak realm configured, so workspaces and members too), each
 * route has a schema definition and each definition a route, and the whole document parses as
 * OpenAPI 3.1 with no message.
 */
class OpenApiSchemasRoutesTest {

    @TempDir
    Path dir;

    @Test
    void everyRouteHasSchemasAndEverySchemaDefinitionARoute() {
        ApiSettings settings = new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()),
                "http://127.0.0.1:9/realms/keygate", null, "unused", InferenceConfig.none(), false);
        ObjectNode document;
        try (ApiModule module = new ApiModule(settings, new Metrics())) {
            new GatewayApp(ConfigLoader.fromYaml("auth:\n  enabled: false\n", Map.of()), List.of(module));
            document = OpenApiSchemas.builtIn().apply(OpenApiDocument.build(new ObjectMapper(), module.routes()));
        }
        // /forward-auth is GatewayApp's own module, not ApiModule's: PlatformEndpointsTest checks it in the served document.
        Set<String> unmatched = new java.util.TreeSet<>(OpenApiSchemas.builtIn().unmatched(document));
        unmatched.removeIf(operation -> operation.contains(" /forward-auth"));
        assertEquals(Set.of(), unmatched);
        assertTrue(document.at("/paths/~1apis~1entities~1v2~1workspaces~1{workspace}~1members/post/requestBody").isObject());

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString(), null, options);
        assertEquals(List.of(), parsed.getMessages());
        System.out.println("[keygate-test] OpenAPI with every route: " + OpenApiSchemas.builtIn().operations().size()
                + " operations with schemas, 0 unmatched, 0 parser messages");
    }
}
