package io.keygate.keycloak.mapper;

import com.google.auto.service.AutoService;
import io.keygate.core.ClaimNames;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.workspace.WholeModel;
import io.keygate.keycloak.workspace.WildcardCache;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
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
import org.keycloak.services.Urls;

/**
 * Protocol mapper {@code keygate-workspace-roles}: puts the user's effective role per workspace
 * into the token, e.g. {@code "workspaces": {"default": "Editor", "ml-team": "Admin"}}. Roles come
 * from live group membership at the time the token (or introspection answer) is made, so
 * introspection always shows current roles. Above the overage limit (count of workspaces, or bytes
 * of the claim's JSON) the claim is replaced by distributed-claim pointers to {@code me/workspaces}.
 * The realm-wide wildcard map is cached ({@link WildcardCache}), so the cost per token does not grow
 * with the number of workspaces.
 */
@AutoService(ProtocolMapper.class)
public final class WorkspaceRolesMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String ID = "keygate-workspace-roles";
    public static final String CLAIM_NAME = "claim.name";
    public static final String OVERAGE_LIMIT = "overage.limit";
    public static final String OVERAGE_MAX_BYTES = "overage.max.bytes";

    private static final List<ProviderConfigProperty> CONFIG = config();

    /** Realm-wide wildcard maps; Keycloak keeps one instance of this mapper (the factory) for the server's life. */
    private final WildcardCache wildcards = new WildcardCache();

    private static List<ProviderConfigProperty> config() {
        List<ProviderConfigProperty> properties = new ArrayList<>();
        ProviderConfigProperty claim = new ProviderConfigProperty(CLAIM_NAME, "Token claim name",
                "Name of the claim that maps each workspace to the user's effective role (Viewer, Editor or Admin).",
                ProviderConfigProperty.STRING_TYPE, ClaimNames.WORKSPACES);
        ProviderConfigProperty limit = new ProviderConfigProperty(OVERAGE_LIMIT, "Overage limit",
                "Largest number of workspaces written into the token. Above it the claim is left out and OIDC distributed "
                        + "claims (_claim_names/_claim_sources) point at <issuer>/keygate/me/workspaces, which lists them all.",
                ProviderConfigProperty.STRING_TYPE, String.valueOf(ClaimNames.DEFAULT_OVERAGE_LIMIT));
        ProviderConfigProperty maxBytes = new ProviderConfigProperty(OVERAGE_MAX_BYTES, "Overage size (bytes)",
                "Largest size in bytes of the claim's JSON. Above it (long workspace names) the claim is replaced by the same "
                        + "distributed-claim pointer, so a token stays under 8 KB whatever the names.",
                ProviderConfigProperty.STRING_TYPE, String.valueOf(OverageClaims.DEFAULT_MAX_BYTES));
        properties.add(claim);
        properties.add(limit);
        properties.add(maxBytes);
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, WorkspaceRolesMapper.class);
        return properties;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Keygate workspace roles";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the user's effective role in every workspace they can see (highest of their bindings in "
                + "/workspaces/<name>/<Role> groups and the workspace's wildcard role; default and system for everyone). "
                + "Read live from Keycloak, so token introspection always shows current roles.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel model, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        RealmModel realm = userSession.getRealm();
        RoleResolver resolver = new RoleResolver(session, realm);
        // the token's subject is the session's context user: their admin permissions must not narrow the lookup
        var roles = WholeModel.read(session, () -> resolver.effectiveRoles(userSession.getUser(), wildcards));
        String claimName = model.getConfig().getOrDefault(CLAIM_NAME, ClaimNames.WORKSPACES);
        if (claimName == null || claimName.isBlank()) {
            claimName = ClaimNames.WORKSPACES;
        }
        int limit = OverageClaims.parseLimit(model.getConfig().get(OVERAGE_LIMIT), ClaimNames.DEFAULT_OVERAGE_LIMIT);
        int maxBytes = OverageClaims.parseLimit(model.getConfig().get(OVERAGE_MAX_BYTES), OverageClaims.DEFAULT_MAX_BYTES);
        OverageClaims.apply(token.getOtherClaims(), claimName, roles, limit, maxBytes, issuer(token, session, realm));
    }

    private static String issuer(IDToken token, KeycloakSession session, RealmModel realm) {
        if (token.getIssuer() != null) {
            return token.getIssuer();
        }
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    }
}
