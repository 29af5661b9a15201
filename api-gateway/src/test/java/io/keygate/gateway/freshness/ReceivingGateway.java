package io.keygate.gateway.freshness;

import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.Migrations;
import io.keygate.gateway.store.StoreConfig;
import io.keygate.gateway.support.FakeTransmitter;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.nio.file.Path;
import java.util.Map;

/** A real gateway (echo routes) receiving events from a {@link FakeTransmitter}, with its own store. */
final class ReceivingGateway implements AutoCloseable {

    final Database database;
    final Metrics metrics = new Metrics();
    final Freshness freshness;
    final TestGateway gateway;

    ReceivingGateway(TestIssuer issuer, String jdbcUrl, String instance) {
        this(issuer, jdbcUrl, instance, "");
    }

    ReceivingGateway(TestIssuer issuer, String jdbcUrl, String instance, String eventsExtra) {
        GatewayConfig config = ConfigLoader.fromYaml(yaml(issuer, instance, eventsExtra), Map.of());
        database = new Database(new StoreConfig(jdbcUrl, "", "", 4));
        new Migrations(database).migrate();
        freshness = Freshness.of(config, database, metrics);
        gateway = new TestGateway(config, freshness);
    }

    static String h2(Path dir, String name) {
        return "jdbc:h2:file:" + dir.resolve(name).toString().replace('\\', '/');
    }

    private static String yaml(TestIssuer issuer, String instance, String eventsExtra) {
        return "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "keycloak:\n  clientId: " + FakeTransmitter.RECEIVER + "\n  clientSecret: " + FakeTransmitter.RECEIVER_SECRET + "\n"
                + "freshness:\n  instanceId: " + instance + "\n"
                + "issuers:\n"
                + "  - name: test\n"
                + "    issuer: " + issuer.issuer() + "\n"
                + "    jwks: " + issuer.jwksUrl() + "\n"
                + "    audiences: [" + TestIssuer.AUDIENCE + "]\n"
                + "    algorithms: [RS256, ES256]\n"
                + "    clockSkew: 1s\n"
                + "    events:\n      enabled: true\n      maxBackoff: 500ms\n" + eventsExtra;
    }

    /**
     * Waits until a token minted now is judged current (the stream's horizon, its creation time plus
     * the clock skew, has passed); returns the milliseconds waited.
     */
    long awaitCurrent(TestIssuer issuer) {
        return FreshnessReceiverTest.await(() -> get("/apis/models/v2/workspaces/ws/models",
                issuer.token("probe@example.com", Map.of("ws", "Viewer"), b -> b.issueTime(new java.util.Date()))).status() == 200);
    }

    TestGateway.Response get(String path, String token) {
        return gateway.get(path, token);
    }

    TestGateway.Response post(String path, String token) {
        return gateway.call("POST", path, Map.of("Authorization", "Bearer " + token));
    }

    String metrics() {
        return metrics.scrape();
    }

    @Override
    public void close() {
        gateway.close();
        database.close();
    }
}
