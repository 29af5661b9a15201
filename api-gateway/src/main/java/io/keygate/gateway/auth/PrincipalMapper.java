package io.keygate.gateway.auth;

import io.keygate.core.ClaimNames;
import io.keygate.core.OrgRole;
import io.keygate.core.Role;
import io.keygate.gateway.config.ClaimMapping;
import io.keygate.gateway.config.IssuerSettings;
import io.keygate.gateway.config.OrgRoles;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the verified claims of one issuer's token into a {@link Principal}. Only call with
 * claims whose signature, issuer, audience and lifetime have been verified.
 *
 * <p>Workspace roles come from the workspace claim; when it is absent and the token announces it
 * as a distributed claim (overage), the {@link OverageResolver} fetches it once. An overage
 * token never means "no workspaces": if the roles cannot be fetched the request fails.
 * Unknown role names in a claim are ignored rather than guessed.
 */
final class PrincipalMapper {

    private final IssuerSettings issuer;
    private final String platformAdminRole;
    private final OverageResolver overage;

    PrincipalMapper(IssuerSettings issuer, String platformAdminRole, OverageResolver overage) {
        this.issuer = issuer;
        this.platformAdminRole = platformAdminRole;
        this.overage = overage;
    }

    Principal map(Map<String, Object> claims, String token) {
        IssuerSettings.ClaimNamesSettings names = issuer.claims();
        String subject = Claims.string(claims, names.principal());
        if (subject == null) {
            throw AuthFailure.invalidToken("token has no '" + names.principal() + "' claim");
        }
        String email = Claims.string(claims, names.email());
        String displayName = firstNonNull(Claims.string(claims, names.name()),
                Claims.string(claims, ClaimNames.PREFERRED_USERNAME), email, subject);
        return new Principal(subject, email, displayName, workspaceRoles(claims, token), orgRoles(claims),
                new LinkedHashSet<>(Claims.strings(Claims.at(claims, names.scopes()))),
                Claims.strings(Claims.at(claims, names.realmRoles())).contains(platformAdminRole), issuer.name());
    }

    private Map<String, Role> workspaceRoles(Map<String, Object> claims, String token) {
        String claimName = issuer.claims().workspaces();
        if (claimName.isEmpty()) {
            return Map.of();
        }
        Object value = Claims.at(claims, claimName);
        if (value == null) {
            String endpoint = overageEndpoint(claims, claimName);
            if (endpoint == null) {
                return Map.of();
            }
            value = overage.fetch(endpoint, token, issuer.issuer(), claimName);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw AuthFailure.invalidToken("claim '" + claimName + "' is not an object");
        }
        return parseRoles(map);
    }

    static Map<String, Role> parseRoles(Map<?, ?> map) {
        Map<String, Role> roles = new HashMap<>();
        map.forEach((workspace, role) -> {
            if (role instanceof String name) {
                Role.parse(name).ifPresent(r -> roles.merge(String.valueOf(workspace), r, Role::highest));
            }
        });
        return roles;
    }

    /** The distributed-claims endpoint for {@code claimName}, or null when the token does not announce one. */
    private static String overageEndpoint(Map<String, Object> claims, String claimName) {
        if (!(claims.get(ClaimNames.CLAIM_NAMES) instanceof Map<?, ?> claimNames)
                || !(claimNames.get(claimName) instanceof String source)
                || !(claims.get(ClaimNames.CLAIM_SOURCES) instanceof Map<?, ?> sources)) {
            return null;
        }
        if (!(sources.get(source) instanceof Map<?, ?> sourceSpec) || !(sourceSpec.get("endpoint") instanceof String endpoint)) {
            throw AuthFailure.invalidToken("distributed claim source '" + source + "' has no endpoint");
        }
        return endpoint;
    }

    private Map<String, Set<OrgRole>> orgRoles(Map<String, Object> claims) {
        Map<String, Set<OrgRole>> orgs = new HashMap<>();
        if (Claims.at(claims, issuer.claims().orgs()) instanceof Map<?, ?> orgClaim) {
            orgClaim.forEach((alias, spec) -> {
                Set<OrgRole> roles = orgs.computeIfAbsent(String.valueOf(alias), a -> EnumSet.noneOf(OrgRole.class));
                if (spec instanceof Map<?, ?> details) {
                    addRoles(roles, Claims.strings(details.get("roles")), null);
                }
            });
        }
        for (ClaimMapping mapping : issuer.claimMappings()) {
            applyMapping(mapping, claims, orgs);
        }
        return orgs;
    }

    private void applyMapping(ClaimMapping mapping, Map<String, Object> claims, Map<String, Set<OrgRole>> orgs) {
        if (mapping.dynamicOrg()) {
            String org = Claims.string(claims, mapping.orgAttribute());
            if (org != null) {
                addRoles(orgs.computeIfAbsent(org, o -> EnumSet.noneOf(OrgRole.class)),
                        Claims.strings(Claims.at(claims, mapping.rolesAttribute())), org);
            }
            return;
        }
        if (mapping.serviceAccount()) {
            if (Claims.at(claims, issuer.serviceAccountClaim()) != null) {
                Set<OrgRole> roles = orgs.computeIfAbsent(mapping.orgName(), o -> EnumSet.noneOf(OrgRole.class));
                roles.add(OrgRole.PROVIDER_ADMIN);
                roles.add(OrgRole.TENANT_ADMIN);
            }
            return;
        }
        if (!mapping.roles().isEmpty()) {
            orgs.computeIfAbsent(mapping.orgName(), o -> EnumSet.noneOf(OrgRole.class)).addAll(mapping.roles());
            return;
        }
        List<String> names = Claims.strings(Claims.at(claims, mapping.rolesAttribute()));
        Set<OrgRole> roles = EnumSet.noneOf(OrgRole.class);
        addRoles(roles, names, mapping.orgName());
        if (!roles.isEmpty()) {
            orgs.computeIfAbsent(mapping.orgName(), o -> EnumSet.noneOf(OrgRole.class)).addAll(roles);
        }
    }

    /** Adds {@code ROLE} names, and {@code org:ROLE} names when they are for {@code org}. */
    private static void addRoles(Set<OrgRole> into, List<String> names, String org) {
        for (String name : names) {
            int colon = name.indexOf(':');
            if (colon >= 0) {
                if (org == null || !name.substring(0, colon).equals(org)) {
                    continue;
                }
                name = name.substring(colon + 1);
            }
            OrgRoles.parse(name).ifPresent(into::add);
        }
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
