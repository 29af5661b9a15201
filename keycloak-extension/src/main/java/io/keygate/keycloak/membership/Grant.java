package io.keygate.keycloak.membership;

import io.keygate.keycloak.workspace.Timestamps;
import java.time.Instant;
import java.util.Optional;

/**
 * When and by whom a role binding was granted (a {@code KEYGATE_BINDING} row holds it). Before
 * issue 9 it was the role-group attribute {@code keygate.grant.<userId>} =
 * {@code <granted_at>|<granted_by>}; that legacy layout is only read to migrate it.
 */
public record Grant(Instant grantedAt, String grantedBy) {

    /** Prefix of the legacy role-group attribute that held a user's grant metadata. */
    public static final String ATTR_PREFIX = "keygate.grant.";

    /** Who a binding is attributed to when it was made outside the keygate API by no known admin. */
    public static final String OUTSIDE_ACTOR = "keycloak-admin";

    public static String attributeKey(String userId) {
        return ATTR_PREFIX + userId;
    }

    public String encode() {
        return Timestamps.format(grantedAt) + "|" + grantedBy;
    }

    /** Decodes a stored value; empty for a missing or damaged one. */
    public static Optional<Grant> decode(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int bar = value.indexOf('|');
        if (bar < 0) {
            return Optional.empty();
        }
        return Timestamps.parse(value.substring(0, bar)).map(at -> new Grant(at, value.substring(bar + 1)));
    }

    /** The earlier of two grants (a member's first grant in a workspace is when access began). */
    public static Grant earliest(Grant a, Grant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.grantedAt.isBefore(a.grantedAt) ? b : a;
    }
}
