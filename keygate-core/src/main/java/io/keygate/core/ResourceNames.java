package io.keygate.core;

import java.util.Optional;

/**
 * The naming rules for workspaces and the resources inside them (NeMo Platform's rules):
 * start with a lowercase letter; 2 to 63 characters; lowercase letters, digits, {@code -} and,
 * for now, {@code @ . + _}; no {@code --}; no trailing {@code -}.
 */
public final class ResourceNames {

    public static final int MIN_LENGTH = 2;
    public static final int MAX_LENGTH = 63;

    private ResourceNames() {
    }

    /** True when {@code name} follows every rule. */
    public static boolean isValid(String name) {
        return violation(name).isEmpty();
    }

    /**
     * The first rule {@code name} breaks, as a sentence fit for an error message,
     * or empty when the name is valid.
     */
    public static Optional<String> violation(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("name is required");
        }
        if (name.length() < MIN_LENGTH || name.length() > MAX_LENGTH) {
            return Optional.of("name must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters long, got " + name.length());
        }
        if (!isLowercaseLetter(name.charAt(0))) {
            return Optional.of("name must start with a lowercase letter (a-z)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAllowed(c)) {
                return Optional.of("name may contain only lowercase letters, digits, '-', '@', '.', '+' and '_'; found '" + c + "'");
            }
        }
        if (name.contains("--")) {
            return Optional.of("name must not contain consecutive hyphens (--)");
        }
        if (name.endsWith("-")) {
            return Optional.of("name must not end with a hyphen");
        }
        return Optional.empty();
    }

    private static boolean isLowercaseLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAllowed(char c) {
        return isLowercaseLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '@' || c == '.' || c == '+' || c == '_';
    }
}
