package io.keygate.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.audit.JdbcAuditSink;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.freshness.Freshness;
import io.keygate.gateway.health.Metrics;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real gateway ({@link GatewayApp} + {@link ApiModule}) started in-process on a free port of
 * 127.0.0.1, trusting the harness's Keycloak as its only issuer, with its own H2 file.
 */
public final class GatewayUnderTest implements AutoCloseable {

    final KeycloakServer keycloak;
    final ApiModule api;
    final GatewayApp app;
    public final Freshness freshness;
    final Http http = new Http();
    private final Path dir;

    GatewayUnderTest(KeycloakServer keycloak) {
        this(keycloak, false, false);
    }

    /**
     * @param storedAudit keep audit entries in the gateway's store (as {@code audit.sink: jdbc} does)
     * @param devHeader   trust {@code X-NMP-Principal-Id} (seed 000's quickstart mode)
     */
    GatewayUnderTest(KeycloakServer keycloak, boolean storedAudit, boolean devHeader) {
        this(keycloak, storedAudit, devHeader, null, null, null);
    }

    /**
     * A gateway receiving the realm's security events (as {@code ./setup.sh} configures it): stream
     * name {@code instance}, store under {@code storeDir} (shared when two gateways get the same),
     * {@code issuerExtra} appended to the issuer entry (YAML, 4-space indent), which must enable events.
     */
    static GatewayUnderTest receiving(KeycloakServer keycloak, Path storeDir, String instance, String issuerExtra) {
        return new GatewayUnderTest(keycloak, false, false, storeDir, issuerExtra + "freshness:\n  instanceId: " + instance + "\n", null);
    }

    /** As {@link #receiving(KeycloakServer, Path, String, String)}, with the realm's keys fetched from {@code jwksUrl}. */
    public static GatewayUnderTest receiving(KeycloakServer keycloak, Path storeDir, String instance, String issuerExtra, String jwksUrl) {
        return new GatewayUnderTest(keycloak, false, false, storeDir, issuerExtra + "freshness:\n  instanceId: " + instance + "\n", jwksUrl);
    }

    private GatewayUnderTest(KeycloakServer keycloak, boolean storedAudit, boolean devHeader, Path storeDir, String eventsYaml,
                             String jwksUrl) {
        this.keycloak = keycloak;
        try {
            this.dir = storeDir != null ? storeDir : Files.createTempDirectory("keygate-gateway-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String keys = jwksUrl == null ? "    discovery: " + keycloak.issuer() + "/.well-known/openid-configuration" : "    jwks: " + jwksUrl;
        GatewayConfig config = ConfigLoader.fromYaml(yaml(keycloak, dir, devHeader, keys) + (eventsYaml == null ? "" : eventsYaml), Map.of());
        this.api = new ApiModule(ApiModule.settings(config), new Metrics());
        this.freshness = Freshness.of(config, api.database(), api.metrics());
        api.reportFeeds(freshness::states);
        api.awaitPropagation(freshness.propagation());
        this.app = new GatewayApp(config, storedAudit ? new JdbcAuditSink(api.database()) : entry -> { }, List.of(api), freshness)
                .start("127.0.0.1", 0);
    }

    private static String yaml(KeycloakServer keycloak, Path dir, boolean devHeader, String keys) {
        return String.join("\n",
                "server:",
                "  host: 127.0.0.1",
                "  port: 0",
                "auth:",
                "  devPrincipalHeader: " + devHeader,
                "keycloak:",
                "  url: " + keycloak.baseUrl(),
                "  realm: " + keycloak.realm(),
                "  clientId: " + KeycloakServer.GATEWAY_CLIENT,
                "  clientSecret: " + KeycloakServer.GATEWAY_SECRET,
                "storage:",
                "  jdbcUrl: jdbc:h2:file:" + dir.resolve("gateway").toString().replace('\\', '/'),
                "audit:",
                "  sink: none",
                "issuers:",
                "  - name: keygate",
                "    issuer: " + keycloak.issuer(),
                keys,
                "    audiences: [" + KeycloakServer.AUDIENCE + "]",
                "");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    public Http.Response get(String path, String token) {
        return http.get(url(path), token);
    }

    public Http.Response post(String path, String token, Object body) {
        return http.post(url(path), token, body);
    }

    public Http.Response put(String path, String token, Object body) {
        return http.put(url(path), token, body);
    }

    public Http.Response delete(String path, String token) {
        return http.delete(url(path), token);
    }

    Http.Response send(String method, String path, String token, Object body) {
        return http.send(Http.request(url(path), token).header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(Http.toJson(body))));
    }

    /** Names of the workspaces in a list page. */
    static List<String> names(JsonNode page) {
        List<String> names = new java.util.ArrayList<>();
        page.get("data").forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    @Override
    public void close() {
        app.stop();
        api.close();
    }
}
