package io.keygate.gateway.audit;

import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.GatewayConfig.AuditSinkKind;
import io.keygate.gateway.store.Database;
import java.util.Optional;

/**
 * The one place the sink that {@code audit.sink} names is made (the configuration only parses the
 * name): {@code log} (one line per entry on the {@code keygate.audit} logger, the default),
 * {@code jdbc} (the gateway's store, queryable through the audit API) or {@code none}.
 */
public final class AuditSinks {

    private AuditSinks() {
    }

    /**
     * The sink of {@code kind}.
     *
     * @param store the gateway's store, for {@code jdbc}; empty where the app runs without one
     * @throws ConfigException for {@code jdbc} without a store
     */
    public static AuditSink of(AuditSinkKind kind, Optional<Database> store) {
        return switch (kind) {
            case LOG -> new LoggingAuditSink();
            case NONE -> entry -> { };
            case JDBC -> new JdbcAuditSink(store.orElseThrow(() -> new ConfigException(
                    "invalid configuration: audit.sink 'jdbc' needs the gateway's store (the API module)")));
        };
    }
}
