package io.keygate.core;

import java.util.Optional;

/** Organization roles of the NICo model. A user may hold several roles in several organizations. */
public enum OrgRole {
    PROVIDER_ADMIN,
    PROVIDER_VIEWER,
    TENANT_ADMIN;

    public static Optional<OrgRole> parse(String name) {
        for (OrgRole role : values()) {
            if (role.name().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
