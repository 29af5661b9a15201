package io.keygate.keycloak.console;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The operator's switch for workspace Admins in Keycloak's admin console, read once at start-up
 * from the provider configuration of {@code events-listener/keygate-events}, e.g. {@code conf/keycloak.conf}:
 *
 * <pre>
 * spi-events-listener--keygate-events--workspace-console-admins=false
 * </pre>
 *
 * On (the default): every realm but {@code master} has Keycloak's fine-grained admin permissions
 * (v2) switched on and keeps, per workspace, the permissions of {@link WorkspaceConsolePermissions}.
 * Off: the start-up pass removes every keygate permission and console role again, so no workspace
 * Admin keeps console rights; the realm's {@code adminPermissionsEnabled} is left as it is.
 *
 * @param enabled whether workspace Admins get console permissions for their own workspace
 */
public record ConsoleAdminSettings(boolean enabled) {

    /** Boolean property; absent or blank means {@code true}. */
    public static final String ENABLED = "workspace-console-admins";

    public static final ConsoleAdminSettings DEFAULTS = new ConsoleAdminSettings(true);

    /** The settings in {@code config}; anything but {@code false} (case-insensitive) keeps the default. */
    public static ConsoleAdminSettings from(Config.Scope config) {
        String value = config == null ? null : config.get(ENABLED);
        return new ConsoleAdminSettings(value == null || value.isBlank() || !"false".equalsIgnoreCase(value.trim()));
    }

    /** The property, for {@code getConfigMetadata()} of the {@code keygate-events} factory. */
    public static List<ProviderConfigProperty> configMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(ENABLED).type(ProviderConfigProperty.BOOLEAN_TYPE)
                .label("Workspace Admins in the admin console")
                .helpText("When true, the Admins of each workspace may manage its members in Keycloak's admin console"
                        + " (fine-grained admin permissions v2). false removes those permissions at the next start.")
                .defaultValue(Boolean.TRUE).add()
                .build();
    }
}
