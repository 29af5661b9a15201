package io.keygate.keycloak.workspace;

import java.util.function.Supplier;
import org.keycloak.authorization.fgap.AdminPermissionsSchema;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Runs keygate's own work on the whole model, whoever's request it runs in.
 *
 * <p>Once a realm has fine-grained admin permissions (v2) on, Keycloak narrows its group and user
 * queries ({@code searchGroupsByAttributes}, {@code getGroupByName}, {@code getTopLevelGroupsStream},
 * {@code getGroupMembersStream}, ...) to what the session's context user may view as an
 * administrator. During a token request that user is the token's subject, and during an admin
 * console request the administrator. Keygate's decisions must not depend on that: a token's
 * wildcard roles, the last-Admin count, the change events' fan-out and the keygate API's own checks
 * read every workspace and member. Keycloak's own {@link AdminPermissionsSchema#runWithoutAuthorization}
 * lifts the narrowing for the duration of the work only, so the console's own listings stay
 * filtered for the administrator who uses it.
 */
public final class WholeModel {

    private WholeModel() {
    }

    /** {@code work}'s result, computed with the session's admin-permission filters lifted. */
    public static <T> T read(KeycloakSession session, Supplier<T> work) {
        return session == null ? work.get() : AdminPermissionsSchema.runWithoutAuthorization(session, work);
    }

    /** {@code work}, run with the session's admin-permission filters lifted. */
    public static void run(KeycloakSession session, Runnable work) {
        read(session, () -> {
            work.run();
            return null;
        });
    }

    /** A listener that handles each event with the filters of the event's session lifted. */
    public static ProviderEventListener listener(ProviderEventListener delegate) {
        return event -> run(sessionOf(event), () -> delegate.onEvent(event));
    }

    private static KeycloakSession sessionOf(ProviderEvent event) {
        return event.getKeycloakSession();
    }
}
