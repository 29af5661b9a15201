package io.keygate.core;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * A workspace role. Roles are ordered: each one includes everything the roles before it allow.
 * The enum order is the order of privilege, so {@link #compareTo} answers "which is higher".
 */
public enum Role {
    Viewer,
    Editor,
    Admin;

    /**
     * The role a member gets when a create request names none, as NeMo Platform's member schema
     * defaults {@code roles} to {@code ["Editor"]} (its CLI sends no roles without {@code --roles}).
     */
    public static final Role DEFAULT_FOR_NEW_MEMBER = Editor;

    /** True when this role grants at least what {@code other} grants. */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The higher of two roles; {@code null} counts as no role. */
    public static Role highest(Role a, Role b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.includes(b) ? a : b;
    }

    /** The highest of several roles, or empty when there are none. */
    public static Optional<Role> highest(Collection<Role> roles) {
        Role best = null;
        for (Role role : roles) {
            best = highest(best, role);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Parses a role name exactly as it appears on the wire ({@code Viewer}, {@code Editor}, {@code Admin}).
     * Case is not forgiven: role names are identifiers, and a typo must not silently grant something.
     */
    public static Optional<Role> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.name().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The role names, for error messages: {@code Viewer, Editor, Admin}. */
    public static String allNames() {
        StringBuilder names = new StringBuilder();
        for (Role role : values()) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(role.name());
        }
        return names.toString();
    }

    /** Lower-case form used in Keycloak group paths and attributes where case folding happens. */
    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
