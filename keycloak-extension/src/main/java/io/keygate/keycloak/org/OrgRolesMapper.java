package io.keygate.keycloak.org;

import com.google.auto.service.AutoService;
import io.keygate.core.ClaimNames;
import io.keygate.keycloak.workspace.WholeModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

/**
 * Protocol mapper {@code keygate-org-roles}: {@code "orgs": {"acme": {"name": "Acme Corp",
 * "roles": ["TENANT_ADMIN"]}}} from Keycloak Organizations, and optionally a NICo-style flat list
 * {@code ["acme:TENANT_ADMIN"]} for consumers that read NICo tokens.
 */
@AutoService(ProtocolMapper.class)
public final class OrgRolesMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String ID = "keygate-org-roles";
    public static final String CLAIM_NAME = "claim.name";
    public static final String NICO_ROLES_CLAIM = "nico.roles.claim";

    private static final List<ProviderConfigProperty> CONFIG = config();

    private static List<ProviderConfigProperty> config() {
        List<ProviderConfigProperty> properties = new ArrayList<>();
        properties.add(new ProviderConfigProperty(CLAIM_NAME, "Token claim name",
                "Name of the claim that maps each organization alias to its name and the user's org roles.",
                ProviderConfigProperty.STRING_TYPE, ClaimNames.ORGS));
        properties.add(new ProviderConfigProperty(NICO_ROLES_CLAIM, "NICo roles claim",
                "Optional: name of an extra claim listing roles as \"<org>:<ROLE>\" strings (NICo's convention). Empty: off.",
                ProviderConfigProperty.STRING_TYPE, ""));
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, OrgRolesMapper.class);
        return properties;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Keygate organization roles";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the user's organizations with their org roles (membership in the organization groups PROVIDER_ADMIN, "
                + "PROVIDER_VIEWER, TENANT_ADMIN), and optionally NICo-style \"<org>:<ROLE>\" strings.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel model, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        Map<String, OrgRoles.Membership> orgs = WholeModel.read(session,
                () -> new OrgRoles(session, userSession.getRealm()).of(userSession.getUser()));
        Map<String, Object> claim = new LinkedHashMap<>();
        List<String> nico = new ArrayList<>();
        orgs.forEach((alias, membership) -> {
            claim.put(alias, membership.toJson());
            membership.roles().forEach(role -> nico.add(alias + ":" + role));
        });
        String claimName = model.getConfig().get(CLAIM_NAME);
        token.getOtherClaims().put(claimName == null || claimName.isBlank() ? ClaimNames.ORGS : claimName, claim);
        String nicoClaim = model.getConfig().get(NICO_ROLES_CLAIM);
        if (nicoClaim != null && !nicoClaim.isBlank()) {
            token.getOtherClaims().put(nicoClaim, nico);
        }
    }
}
