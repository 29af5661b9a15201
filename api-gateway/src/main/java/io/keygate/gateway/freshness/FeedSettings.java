package io.keygate.gateway.freshness;

import io.keygate.core.events.SecurityEvents;
import io.keygate.gateway.config.ConfigTree;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.config.IssuerSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code issuers[].events} block of one issuer: where its transmitter is and how to use it.
 *
 * @param issuer                the issuer whose events these are (exact {@code iss} of tokens and SETs)
 * @param instanceId            this gateway's name at the transmitter (the stream's description)
 * @param metadataUrl           the transmitter metadata ({@code /.well-known/ssf-configuration})
 * @param clientId              the receiver client (client-credentials grant)
 * @param clientSecret          its secret (never logged)
 * @param tokenEndpoint         where the receiver client gets its token
 * @param introspectionEndpoint where unverified tokens' current roles are looked up
 * @param maxTokenLifetime      longest access-token life of this issuer: older changes can be forgotten
 * @param retention             SETs issued longer ago are refused
 * @param pollTimeout           HTTP timeout of one long-poll
 * @param maxEvents             SETs asked for per poll
 * @param maxBackoff            longest wait between reconnect attempts
 * @param maxEntries            bound of remembered changes
 */
public record FeedSettings(IssuerSettings issuer, String instanceId, URI metadataUrl, String clientId, String clientSecret,
                           URI tokenEndpoint, URI introspectionEndpoint, Duration maxTokenLifetime, Duration retention,
                           Duration pollTimeout, int maxEvents, Duration maxBackoff, int maxEntries) {

    /** The feeds switched on in {@code config} (one per issuer with {@code events.enabled: true}). */
    public static List<FeedSettings> enabledIn(GatewayConfig config) {
        ConfigTree tree = config.tree();
        List<FeedSettings> out = new ArrayList<>();
        for (int i = 0; i < config.issuers().size(); i++) {
            String key = "issuers." + i + ".events";
            if (tree.bool(key + ".enabled")) {
                out.add(of(tree, key, config.issuers().get(i), config));
            }
        }
        return List.copyOf(out);
    }

    private static FeedSettings of(ConfigTree tree, String key, IssuerSettings issuer, GatewayConfig config) {
        String base = issuer.issuer().replaceAll("/+$", "");
        String clientId = orDefault(tree.string(key + ".clientId"), config.keycloak().clientId());
        String secret = orDefault(tree.string(key + ".clientSecret"), config.keycloak().clientSecret());
        if (clientId.isEmpty() || secret.isEmpty()) {
            throw ConfigTree.invalid(key + ".clientSecret", "is required when events are enabled (or set keycloak.clientSecret)");
        }
        return new FeedSettings(issuer, instanceId(tree, config),
                url(tree, key + ".metadataUrl", base + "/.well-known/" + SecurityEvents.WELL_KNOWN_ALIAS), clientId, secret,
                url(tree, key + ".tokenEndpoint", base + "/protocol/openid-connect/token"),
                url(tree, key + ".introspectionEndpoint", base + "/protocol/openid-connect/token/introspect"),
                tree.duration(key + ".maxTokenLifetime", Duration.ofDays(1)), tree.duration(key + ".retention", Duration.ofDays(7)),
                tree.duration(key + ".pollTimeout", Duration.ofMinutes(5)), tree.integer(key + ".maxEvents", 1, 10_000),
                tree.duration(key + ".maxBackoff", Duration.ofMinutes(10)), tree.integer(key + ".maxEntries", 100, 10_000_000));
    }

    private static String instanceId(ConfigTree tree, GatewayConfig config) {
        String configured = tree.string("freshness.instanceId");
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "gateway";
        }
        return host + ":" + config.server().port();
    }

    private static URI url(ConfigTree tree, String key, String fallback) {
        URI configured = tree.httpUrl(key);
        return configured != null ? configured : URI.create(fallback);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? (fallback == null ? "" : fallback) : value;
    }

    /** The clock skew tolerated between this issuer and the gateway. */
    public Duration clockSkew() {
        return issuer.clockSkew();
    }

    @Override
    public String toString() {
        return "FeedSettings[" + issuer.name() + ", " + metadataUrl + ", client " + clientId + "]";
    }
}
