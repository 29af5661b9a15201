package io.keygate.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.ApiModule;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in policy and the gateway's routes describe the same API: every route that is not
 * public has a policy rule (otherwise it would be denied to everyone), and every rule has a route
 * (otherwise the policy would allow what then answers 404).
 */
class DefaultPolicyRoutesTest {

    @TempDir
    Path dir;

    @Test
    void everyProtectedRouteHasARuleAndEveryRuleARoute() {
        GatewayConfig config = ConfigLoader.fromYaml("auth:\n  enabled: false\n", Map.of());
        ApiSettings settings = new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()),
                "http://127.0.0.1:9/realms/keygate", null, "unused", InferenceConfig.none(), false);
        Set<String> routes = new TreeSet<>();
        try (ApiModule module = new ApiModule(settings, new Metrics())) {
            new GatewayApp(config, List.of(module));
            module.routes().stream()
                    .filter(route -> !config.auth().publicPaths().contains(route.path()))
                    .forEach(route -> routes.add(route.method().name() + " " + shape(route.path())));
        }
        Set<String> rules = new TreeSet<>();
        PolicyLoader.builtIn().model().rules()
                .forEach(rule -> rules.add(rule.method().toUpperCase(Locale.ROOT) + " " + shape(rule.pattern())));

        assertTrue(routes.contains("DELETE /apis/entities/v2/workspaces/{}/members/{}"), routes.toString());
        assertEquals(routes, rules);
    }

    /** Path parameters named alike: {@code {workspace}}, {@code {name}} and {@code <path>} all become {@code {}}. */
    private static String shape(String path) {
        return path.replaceAll("\\{[^}]*}|<[^>]*>", "{}");
    }
}
