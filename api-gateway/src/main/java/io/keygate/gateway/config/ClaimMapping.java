package io.keygate.gateway.config;

import io.keygate.core.OrgRole;
import java.util.Set;

/**
 * One NICo-style claim mapping of an issuer: which organization roles a token from that issuer
 * confers. Exactly one of four shapes:
 * <ul>
 *   <li>static org + static roles: {@code orgName} + {@code roles} (every token of the issuer);</li>
 *   <li>static org + roles from a claim: {@code orgName} + {@code rolesAttribute};</li>
 *   <li>dynamic org + roles: {@code orgAttribute} (+ {@code orgDisplayAttribute}) + {@code rolesAttribute};</li>
 *   <li>service account: {@code orgName} + {@code isServiceAccount: true} (service-account tokens
 *       only, i.e. tokens carrying the issuer's {@code serviceAccountClaim}; grants
 *       PROVIDER_ADMIN and TENANT_ADMIN).</li>
 * </ul>
 * Claim paths use dots for nesting ({@code realm_access.roles}).
 */
public record ClaimMapping(
        String orgName,
        String orgDisplayName,
        Set<OrgRole> roles,
        String rolesAttribute,
        String orgAttribute,
        String orgDisplayAttribute,
        boolean serviceAccount) {

    public ClaimMapping {
        roles = Set.copyOf(roles);
    }

    public boolean dynamicOrg() {
        return !orgAttribute.isEmpty();
    }
}
