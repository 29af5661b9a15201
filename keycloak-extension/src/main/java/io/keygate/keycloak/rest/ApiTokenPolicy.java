package io.keygate.keycloak.rest;

import io.keygate.core.KeygateClients;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Which bearer tokens count as "minted for keygate" at the extension's REST API: those whose
 * {@code aud} holds one of {@link #audiences()}, and service-account tokens of one of
 * {@link #serviceAccountClients()}. Read once at start-up from the provider configuration of
 * {@code realm-restapi-extension/keygate}, e.g. {@code conf/keycloak.conf}:
 *
 * <pre>
 * spi-realm-restapi-extension--keygate--audiences=keygate-api
 * spi-realm-restapi-extension--keygate--service-account-clients=keygate-gateway
 * </pre>
 *
 * A property that is absent or blank keeps its default, so the API never ends up accepting
 * every token of the realm by misconfiguration.
 *
 * @param audiences             accepted {@code aud} values, never empty
 * @param serviceAccountClients client ids whose service-account tokens are accepted whatever their audience
 */
public record ApiTokenPolicy(Set<String> audiences, Set<String> serviceAccountClients) {

    /** Comma-separated accepted audiences; default {@value KeygateClients#API_AUDIENCE}. */
    public static final String AUDIENCES = "audiences";

    /** Comma-separated clients whose service-account tokens are accepted; default {@value KeygateClients#GATEWAY_CLIENT}. */
    public static final String SERVICE_ACCOUNT_CLIENTS = "service-account-clients";

    /** keygate's own clients: audience {@code keygate-api}, service account of {@code keygate-gateway}. */
    public static final ApiTokenPolicy DEFAULTS = new ApiTokenPolicy(
            Set.of(KeygateClients.API_AUDIENCE), Set.of(KeygateClients.GATEWAY_CLIENT));

    public ApiTokenPolicy {
        audiences = Set.copyOf(audiences);
        serviceAccountClients = Set.copyOf(serviceAccountClients);
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("the keygate API needs at least one accepted audience");
        }
    }

    /** The policy configured in {@code config}, each missing or blank property at its default. */
    public static ApiTokenPolicy from(Config.Scope config) {
        return new ApiTokenPolicy(
                list(config.get(AUDIENCES), DEFAULTS.audiences()),
                list(config.get(SERVICE_ACCOUNT_CLIENTS), DEFAULTS.serviceAccountClients()));
    }

    /** The two properties, for {@code getConfigMetadata()} (shown by {@code kc.sh show-config} and the admin console's provider info). */
    public static List<ProviderConfigProperty> configMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(AUDIENCES).type(ProviderConfigProperty.STRING_TYPE)
                .label("Accepted audiences")
                .helpText("Comma-separated. A bearer token is accepted when its aud claim holds one of these.")
                .defaultValue(KeygateClients.API_AUDIENCE).add()
                .property().name(SERVICE_ACCOUNT_CLIENTS).type(ProviderConfigProperty.STRING_TYPE)
                .label("Accepted service-account clients")
                .helpText("Comma-separated client ids. A service-account token of one of these clients is accepted whatever its audience.")
                .defaultValue(KeygateClients.GATEWAY_CLIENT).add()
                .build();
    }

    private static Set<String> list(String value, Set<String> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Set<String> values = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).forEach(values::add);
        return values.isEmpty() ? fallback : values;
    }
}
