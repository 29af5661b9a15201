package io.keygate.gateway.auth;

import io.keygate.core.IdentityHeaders;
import io.keygate.core.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names under which the gateway tells an upstream who is calling (defaults in
 * {@link IdentityHeaders}; renamed by {@code forwardAuth.identityHeaders.*}), used by the upstream
 * proxy (inference included) and by {@code /forward-auth}.
 *
 * <p>Security contract: {@link #isReserved} is true for every header a client must never get to an
 * upstream: these five names, anything starting with {@link IdentityHeaders#PREFIX}, and NeMo
 * Platform's dev identity headers. The gateway never reads identity from such a header (except the
 * dev principal header in dev mode, which is a separate, explicit switch).
 */
public record IdentityHeaderNames(String principal, String email, String workspace, String role, String scopes) {

    private static final String PREFIX = IdentityHeaders.PREFIX.toLowerCase(Locale.ROOT);
    private static final Set<String> DEV = lower(IdentityHeaders.DEV_HEADERS);

    public IdentityHeaderNames {
        for (String name : List.of(principal, email, workspace, role, scopes)) {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,63}")) {
                throw new IllegalArgumentException("invalid identity header name '" + name + "'");
            }
        }
    }

    public static IdentityHeaderNames defaults() {
        return new IdentityHeaderNames(IdentityHeaders.PRINCIPAL, IdentityHeaders.EMAIL, IdentityHeaders.WORKSPACE,
                IdentityHeaders.ROLE, IdentityHeaders.SCOPES);
    }

    /**
     * The five headers, always all of them (empty when a value is unknown), so a proxy that copies
     * them over the client's request leaves no client-sent value behind.
     *
     * @param caller    the verified caller, or null on a public path
     * @param workspace the workspace the policy decided on, or null
     */
    public Map<String, String> describe(Principal caller, String workspace) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(principal, caller == null ? "" : caller.id());
        out.put(email, caller == null || caller.email() == null ? "" : caller.email());
        out.put(this.workspace, workspace == null ? "" : workspace);
        out.put(role, caller == null ? "" : roleOf(caller, workspace));
        out.put(scopes, caller == null ? "" : String.join(" ", new TreeSet<>(caller.scopes())));
        return out;
    }

    /** {@code PlatformAdmin}, else the caller's role in {@code workspace}, else empty. */
    static String roleOf(Principal caller, String workspace) {
        if (caller.platformAdmin()) {
            return "PlatformAdmin";
        }
        return workspace == null ? "" : caller.roleIn(workspace).map(Role::name).orElse("");
    }

    /** True for a header only the gateway may set (compared case-insensitively). */
    public boolean isReserved(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        return name.startsWith(PREFIX) || DEV.contains(name) || name.equalsIgnoreCase(principal) || name.equalsIgnoreCase(email)
                || name.equalsIgnoreCase(workspace) || name.equalsIgnoreCase(role) || name.equalsIgnoreCase(scopes);
    }

    /** True for NeMo Platform's dev identity headers ({@code X-NMP-Principal-*}). */
    public static boolean isDevHeader(String header) {
        return DEV.contains(header.toLowerCase(Locale.ROOT));
    }

    private static Set<String> lower(List<String> names) {
        Set<String> out = new java.util.HashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return Set.copyOf(out);
    }
}
