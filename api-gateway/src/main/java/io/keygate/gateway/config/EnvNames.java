package io.keygate.gateway.config;

import java.util.Locale;

/**
 * The environment variable that overrides a configuration key: {@code KEYGATE_} + the key path in
 * upper snake case, with camelCase split into words and list indexes kept as numbers:
 * {@code auth.devPrincipalHeader} becomes {@code KEYGATE_AUTH_DEV_PRINCIPAL_HEADER},
 * {@code issuers.0.audiences} becomes {@code KEYGATE_ISSUERS_0_AUDIENCES}.
 */
public final class EnvNames {

    public static final String PREFIX = "KEYGATE_";

    private EnvNames() {
    }

    public static String of(String dottedPath) {
        StringBuilder out = new StringBuilder(PREFIX);
        String[] parts = dottedPath.split("\\.");
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                out.append('_');
            }
            String part = parts[p];
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (Character.isUpperCase(c) && i > 0) {
                    out.append('_');
                }
                out.append(c == '-' ? '_' : Character.toUpperCase(c));
            }
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
