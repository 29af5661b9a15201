package io.keygate.gateway;

import io.keygate.gateway.audit.JdbcAuditSink;
import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.health.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts the gateway. The config file comes from {@code KEYGATE_CONFIG}, else the first
 * argument, else {@code config/gateway.yaml}; environment variables override its keys.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String file = System.getenv("KEYGATE_CONFIG");
        if (file == null || file.isBlank()) {
            file = args.length > 0 ? args[0] : "config/gateway.yaml";
        }
        try {
            Path path = Path.of(file);
            GatewayConfig config = Files.exists(path) ? ConfigLoader.load(path, System.getenv())
                    : ConfigLoader.fromYaml("", System.getenv());
            ApiModule api = new ApiModule(ApiModule.settings(config), new Metrics());
            GatewayApp app = config.auditSink().equals("jdbc")
                    ? new GatewayApp(config, new JdbcAuditSink(api.database()), List.of(api))
                    : new GatewayApp(config, List.of(api));
            app.start();
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
