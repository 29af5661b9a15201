package io.keygate.gateway;

import io.keygate.gateway.audit.AuditSink;
import io.keygate.gateway.audit.LoggingAuditSink;
import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

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

    /**
     * The audit sink for {@code audit.sink}. This assembly has no storage module, so {@code jdbc}
     * falls back to the log (loudly) rather than refusing to start; the storage module's wiring
     * replaces this with its JDBC sink.
     */
    static AuditSink auditSink(GatewayConfig config) {
        return switch (config.auditSink()) {
            case "none" -> entry -> { };
            case "jdbc" -> {
                LoggerFactory.getLogger(Main.class).warn("audit.sink is jdbc but no storage module is wired in; auditing to the log instead");
                yield new LoggingAuditSink();
            }
            default -> new LoggingAuditSink();
        };
    }

    public static void main(String[] args) {
        String file = System.getenv("KEYGATE_CONFIG");
        if (file == null || file.isBlank()) {
            file = args.length > 0 ? args[0] : null;
        }
        try {
            GatewayConfig config = config(file);
            GatewayApp app = new GatewayApp(config, auditSink(config), List.of()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "keygate-shutdown"));
        } catch (ConfigException e) {
            System.err.println("keygate gateway: " + e.getMessage());
            System.exit(2);
        }
    }
}
