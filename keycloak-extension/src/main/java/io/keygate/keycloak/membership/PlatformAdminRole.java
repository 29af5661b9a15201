package io.keygate.keycloak.membership;

import io.keygate.core.WorkspaceLayout;
import io.keygate.core.api.ExtensionApi;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The realm role that makes a user PlatformAdmin, one setting for the whole extension: the
 * property {@value #PROPERTY} of the provider {@code realm-restapi-extension/keygate}, e.g. in
 * {@code conf/keycloak.conf}:
 *
 * <pre>
 * spi-realm-restapi-extension--keygate--platform-admin-role=platform-admin
 * </pre>
 *
 * Absent or blank, it is {@value WorkspaceLayout#PLATFORM_ADMIN_ROLE}, the gateway's default for
 * {@code auth.platformAdminRole}; the two must name the same role. Security contract: the REST
 * API's PlatformAdmin checks, the workspace-roles claims and the security events all read this
 * one name, so renaming the role cannot leave one of them trusting the old one.
 *
 * @param name the realm role's name, never blank
 */
public record PlatformAdminRole(String name) {

    /** The provider property. */
    public static final String PROPERTY = "platform-admin-role";

    /** The SPI and provider whose configuration holds {@value #PROPERTY}. */
    public static final String SPI = "realm-restapi-extension";

    public static final PlatformAdminRole DEFAULT = new PlatformAdminRole(WorkspaceLayout.PLATFORM_ADMIN_ROLE);

    public PlatformAdminRole {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the platform-admin role needs a name");
        }
        name = name.trim();
    }

    /** The role named in {@code config}, or {@link #DEFAULT} when the property is absent or blank. */
    public static PlatformAdminRole from(Config.Scope config) {
        String value = config == null ? null : config.get(PROPERTY);
        return value == null || value.isBlank() ? DEFAULT : new PlatformAdminRole(value);
    }

    /**
     * The role configured for the running server: Keycloak's own configuration of the REST API
     * provider, the scope its factory's {@code init} receives, read by every part of the extension.
     */
    public static PlatformAdminRole configured() {
        return from(Config.scope(SPI, ExtensionApi.PROVIDER_ID));
    }

    /** The property, for the REST API factory's {@code getConfigMetadata()}. */
    public static List<ProviderConfigProperty> configMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(PROPERTY).type(ProviderConfigProperty.STRING_TYPE)
                .label("Platform-admin realm role")
                .helpText("Realm role that makes a user PlatformAdmin (all workspaces, role bindings). "
                        + "Must match the gateway's auth.platformAdminRole.")
                .defaultValue(WorkspaceLayout.PLATFORM_ADMIN_ROLE).add()
                .build();
    }
}
