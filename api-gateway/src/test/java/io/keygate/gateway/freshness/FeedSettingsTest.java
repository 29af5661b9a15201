package io.keygate.gateway.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.ConfigLoader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code issuers[].events}: off by default, defaults derived from the issuer, every key overridable by environment. */
class FeedSettingsTest {

    private static final String ISSUER = """
            keycloak:
              clientSecret: s3cret
            issuers:
              - name: keygate
                issuer: http://kc:8180/realms/keygate
                jwks: http://kc:8180/realms/keygate/protocol/openid-connect/certs
                audiences: [keygate-api]
            """;

    @Test
    void eventsAreOffUnlessEnabled() {
        assertEquals(List.of(), FeedSettings.enabledIn(ConfigLoader.fromYaml(ISSUER, Map.of())));
    }

    @Test
    void enabledByEnvironmentWithDefaultsFromTheIssuerAndTheGatewayClient() {
        List<FeedSettings> feeds = FeedSettings.enabledIn(ConfigLoader.fromYaml(ISSUER, Map.of(
                "KEYGATE_ISSUERS_0_EVENTS_ENABLED", "true", "KEYGATE_ISSUERS_0_EVENTS_MAX_TOKEN_LIFETIME", "15m",
                "KEYGATE_FRESHNESS_INSTANCE_ID", "gw-a")));
        assertEquals(1, feeds.size());
        FeedSettings feed = feeds.get(0);
        assertEquals(URI.create("http://kc:8180/realms/keygate/.well-known/ssf-configuration"), feed.metadataUrl());
        assertEquals(URI.create("http://kc:8180/realms/keygate/protocol/openid-connect/token"), feed.tokenEndpoint());
        assertEquals(URI.create("http://kc:8180/realms/keygate/protocol/openid-connect/token/introspect"), feed.introspectionEndpoint());
        assertEquals("keygate-gateway", feed.clientId());
        assertEquals("s3cret", feed.clientSecret());
        assertEquals(Duration.ofMinutes(15), feed.maxTokenLifetime());
        assertEquals(Duration.ofHours(24), feed.retention());
        assertEquals("gw-a", feed.instanceId());
        assertTrue(!feed.toString().contains("s3cret"), "the secret is never printed");
    }

    @Test
    void enabledEventsNeedAReceiverSecretAndKnownKeys() {
        String noSecret = ISSUER.replace("keycloak:\n  clientSecret: s3cret\n", "");
        ConfigException missing = assertThrows(ConfigException.class, () -> FeedSettings.enabledIn(
                ConfigLoader.fromYaml(noSecret, Map.of("KEYGATE_ISSUERS_0_EVENTS_ENABLED", "true"))));
        assertTrue(missing.getMessage().contains("issuers.0.events.clientSecret"), missing.getMessage());
        ConfigException typo = assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(ISSUER + "    events:\n      enabeld: true\n", Map.of()));
        assertTrue(typo.getMessage().contains("issuers.0.events.enabeld"), typo.getMessage());
    }
}
