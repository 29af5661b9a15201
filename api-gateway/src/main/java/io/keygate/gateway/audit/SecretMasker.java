package io.keygate.gateway.audit;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks secrets before anything is written to the audit trail: values of query parameters
 * whose name suggests a credential, and anything that looks like a JWT or bearer token.
 */
public final class SecretMasker {

    public static final String MASK = "***";

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final String[] SECRET_WORDS = {"token", "secret", "password", "passwd", "key", "code", "credential", "auth", "signature"};

    private SecretMasker() {
    }

    /** {@code path?query} with credential-like parameter values and embedded JWTs masked. */
    public static String maskPathAndQuery(String path, String query) {
        String maskedPath = JWT.matcher(path).replaceAll(MASK);
        if (query == null || query.isEmpty()) {
            return maskedPath;
        }
        StringBuilder out = new StringBuilder(maskedPath).append('?');
        String[] params = query.split("&");
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = params[i].indexOf('=');
            String name = eq < 0 ? params[i] : params[i].substring(0, eq);
            if (eq >= 0 && isSecretName(name)) {
                out.append(name).append('=').append(MASK);
            } else {
                out.append(JWT.matcher(params[i]).replaceAll(MASK));
            }
        }
        return out.toString();
    }

    static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
