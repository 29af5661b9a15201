package io.keygate.gateway;

import io.keygate.gateway.audit.AuditSinks;
import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.freshness.Freshness;
import io.keygate.gateway.health.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Starts the gateway. The config file comes from {@code KEYGATE_CONFIG}, else the first
 * argument, else {@code config/gateway.yaml}; environment variables override its keys.
 */
public final class Main {

    static final String DEFAULT_FILE = "config/gateway.yaml";

    private Main() {
    }

    /**
     * The configuration from {@code file}; without an explicit file, from {@value #DEFAULT_FILE}
     * when it exists, else from the environment alone.
     */
    static GatewayConfig config(String file) {
        if (file != null) {
            return ConfigLoader.load(Path.of(file), System.getenv());
        }
        Path fallback = Path.of(DEFAULT_FILE);
        return Files.exists(fallback) ? ConfigLoader.load(fallback, System.getenv()) : ConfigLoader.fromYaml("", System.getenv());
    }

    public static void main(String[] args) {
        String file = System.getenv("KEYGATE_CONFIG");
        if (file == null || file.isBlank()) {
            file = args.length > 0 ? args[0] : null;
        }
        try {
            GatewayConfig config = config(file);
            ApiModule api = new ApiModule(ApiModule.settings(config), new Metrics());
            Freshness freshness = Freshness.of(config, api.database(), api.metrics());
            api.reportFeeds(freshness::states);
            api.awaitPropagation(freshness.propagation());
            GatewayApp app = new GatewayApp(config, AuditSinks.of(config.auditSink(), Optional.of(api.database())), List.of(api), freshness).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.stop();
                api.close();
            }, "keygate-shutdown"));
        } catch (ConfigException e) {
            System.err.println("keygate gateway: " + e.getMessage());
            System.exit(2);
        }
    }
}
