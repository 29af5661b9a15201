package io.keygate.keycloak.mapper;

import io.keygate.core.ClaimNames;
import io.keygate.core.Role;
import io.keygate.core.api.ExtensionApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.util.JsonSerialization;

/**
 * Writes the workspace claim, or, when there are more workspaces than the limit or the claim's
 * JSON would take more bytes than its budget (long workspace names), OIDC distributed claims
 * (Core 1.0 §5.6.2) that point at {@code <issuer>/keygate/me/workspaces}. The byte budget is what
 * keeps a token under 8 KB whatever the names. An overage token never means "no workspaces":
 * the claim is absent and its source is named.
 */
public final class OverageClaims {

    /** Name of the one claim source keygate uses. */
    public static final String SOURCE = "src1";

    /** Path below the realm issuer where the full workspace map is served. */
    public static final String ENDPOINT_PATH = "/" + ExtensionApi.PROVIDER_ID + "/" + ExtensionApi.MY_WORKSPACES;

    private OverageClaims() {
    }

    /** Default byte budget of the claim's JSON: about 4 KB once base64url-encoded, leaving room in an 8 KB token. */
    public static final int DEFAULT_MAX_BYTES = 3072;

    public static void apply(Map<String, Object> claims, String claimName, Map<String, Role> roles, int limit, int maxBytes,
                             String issuer) {
        if (roles.size() <= limit) {
            Map<String, String> value = new LinkedHashMap<>();
            roles.forEach((workspace, role) -> value.put(workspace, role.name()));
            if (jsonBytes(value) <= maxBytes) {
                claims.put(claimName, value);
                return;
            }
        }
        claims.remove(claimName);
        mergeInto(claims, ClaimNames.CLAIM_NAMES, Map.of(claimName, SOURCE));
        mergeInto(claims, ClaimNames.CLAIM_SOURCES, Map.of(SOURCE, Map.of("endpoint", issuer + ENDPOINT_PATH)));
    }

    /** Size of the claim value as the token's UTF-8 JSON will hold it. */
    static int jsonBytes(Map<String, String> value) {
        try {
            return JsonSerialization.writeValueAsBytes(value).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds entries to a map-valued claim, keeping what other mappers put there. */
    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> claims, String name, Map<String, Object> entries) {
        Object existing = claims.get(name);
        Map<String, Object> merged = new LinkedHashMap<>();
        if (existing instanceof Map<?, ?> map) {
            merged.putAll((Map<String, Object>) map);
        }
        merged.putAll(entries);
        claims.put(name, merged);
    }

    /** Parses the {@code overage.limit} or {@code overage.max.bytes} setting; a missing or bad value means the default. */
    public static int parseLimit(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            return limit < 0 ? fallback : limit;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
