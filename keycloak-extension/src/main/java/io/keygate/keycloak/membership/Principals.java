package io.keygate.keycloak.membership;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Names users as principals: a person by email (username when they have none), a service
 * account by username. Resolves a principal back to a Keycloak user.
 */
public final class Principals {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final KeycloakSession session;
    private final RealmModel realm;

    public Principals(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The principal name of a user, as it appears in member lists and {@code created_by}. */
    public static String nameOf(UserModel user) {
        if (user.getServiceAccountClientLink() != null || user.getEmail() == null || user.getEmail().isBlank()) {
            return user.getUsername();
        }
        return user.getEmail().toLowerCase(Locale.ROOT);
    }

    /** The user a principal names: by email first, then by username. */
    public Optional<UserModel> find(String principal) {
        UserModel user = null;
        if (principal.contains("@")) {
            user = session.users().getUserByEmail(realm, principal);
        }
        if (user == null) {
            user = session.users().getUserByUsername(realm, principal.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(user);
    }

    /** True when the principal looks like an email address, so a grant to it may wait for the user. */
    public static boolean isEmail(String principal) {
        return EMAIL.matcher(principal).matches();
    }

    /** Emails are compared case-insensitively; pending grants are keyed by the lower-case form. */
    public static String normalizeEmail(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
