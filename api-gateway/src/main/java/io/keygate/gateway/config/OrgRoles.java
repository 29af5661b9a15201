package io.keygate.gateway.config;

import io.keygate.core.OrgRole;
import java.util.Optional;

/** Parses organization role names as NICo writes them: {@code TENANT_ADMIN} or {@code FORGE_TENANT_ADMIN}. */
public final class OrgRoles {

    private static final String NICO_PREFIX = "FORGE_";

    private OrgRoles() {
    }

    public static Optional<OrgRole> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String bare = name.startsWith(NICO_PREFIX) ? name.substring(NICO_PREFIX.length()) : name;
        return OrgRole.parse(bare);
    }
}
