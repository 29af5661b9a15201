package io.keygate.keycloak.freshness.rest;

import com.google.auto.service.AutoService;
import io.keygate.core.events.SecurityEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.Urls;
import org.keycloak.wellknown.WellKnownProvider;
import org.keycloak.wellknown.WellKnownProviderFactory;

/** Transmitter metadata (SSF 1.0 section 7.1) at {@code /realms/{realm}/.well-known/ssf-configuration}. */
@AutoService(WellKnownProviderFactory.class)
public final class SsfConfigurationProviderFactory implements WellKnownProviderFactory {

    public static final String ID = "keygate-ssf-configuration";

    @Override
    public WellKnownProvider create(KeycloakSession session) {
        return new WellKnownProvider() {
            @Override
            public Object getConfig() {
                return metadata(session);
            }

            @Override
            public void close() {
            }
        };
    }

    static Map<String, Object> metadata(KeycloakSession session) {
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), session.getContext().getRealm().getName());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(SecurityEvents.META_SPEC_VERSION, SecurityEvents.SPEC_VERSION);
        json.put(SecurityEvents.META_ISSUER, issuer);
        json.put(SecurityEvents.META_JWKS_URI, issuer + "/protocol/openid-connect/certs");
        json.put(SecurityEvents.META_DELIVERY_METHODS, List.of(SecurityEvents.DELIVERY_POLL));
        json.put(SecurityEvents.META_CONFIGURATION_ENDPOINT, issuer + "/" + SsfResourceProviderFactory.ID + "/" + SsfResource.STREAMS);
        json.put(SecurityEvents.META_AUTHORIZATION_SCHEMES, List.of(Map.of(SecurityEvents.META_SPEC_URN, SecurityEvents.AUTH_SCHEME_OAUTH2)));
        json.put(SecurityEvents.META_DEFAULT_SUBJECTS, "ALL");
        return json;
    }

    @Override
    public String getAlias() {
        return SecurityEvents.WELL_KNOWN_ALIAS;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
