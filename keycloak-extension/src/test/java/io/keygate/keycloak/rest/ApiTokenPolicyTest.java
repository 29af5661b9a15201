package io.keygate.keycloak.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.keycloak.support.MapScope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

class ApiTokenPolicyTest {

    @Test
    void withoutConfigurationOnlyKeygatesOwnClientsCount() {
        ApiTokenPolicy policy = ApiTokenPolicy.from(scope(Map.of()));

        assertEquals(Set.of("keygate-api"), policy.audiences());
        assertEquals(Set.of("keygate-gateway"), policy.serviceAccountClients());
    }

    @Test
    void commaListsAreTrimmedAndBlankValuesKeepTheDefault() {
        ApiTokenPolicy policy = ApiTokenPolicy.from(scope(Map.of(
                "audiences", " keygate-api , other-api,,", "service-account-clients", "  ")));

        assertEquals(Set.of("keygate-api", "other-api"), policy.audiences());
        assertEquals(Set.of("keygate-gateway"), policy.serviceAccountClients());
        assertEquals(Set.of("keygate-api"), ApiTokenPolicy.from(scope(Map.of("audiences", " , "))).audiences());
    }

    @Test
    void anEmptyAudienceSetIsRefusedRatherThanAcceptingNothingSilently() {
        assertThrows(IllegalArgumentException.class, () -> new ApiTokenPolicy(Set.of(), Set.of("keygate-gateway")));
    }

    @Test
    void bothPropertiesAreDeclaredWithTheirDefaults() {
        List<ProviderConfigProperty> metadata = ApiTokenPolicy.configMetadata();

        assertEquals(List.of("audiences", "service-account-clients"), metadata.stream().map(ProviderConfigProperty::getName).toList());
        assertEquals(List.of("keygate-api", "keygate-gateway"), metadata.stream().map(ProviderConfigProperty::getDefaultValue).toList());
    }

    @Test
    void refusalsCarryAnRfc6750ChallengeWithoutQuotesFromTheToken() {
        TokenRefused invalid = TokenRefused.invalid("token audience [\"x\"] is not keygate-api");

        assertEquals("Bearer realm=\"keygate\", error=\"invalid_token\", error_description=\"token audience ['x'] is not keygate-api\"",
                invalid.challenge("keygate"));
        assertTrue(invalid.getMessage().startsWith("invalid token: token audience"));
        assertEquals("Bearer realm=\"keygate\"", TokenRefused.missing("keygate").challenge("keygate"));
    }

    private static Config.Scope scope(Map<String, String> values) {
        return MapScope.of(values);
    }
}
