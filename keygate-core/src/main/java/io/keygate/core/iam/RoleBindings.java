package io.keygate.core.iam;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * NeMo Platform's IAM role-bindings API as both sides of keygate speak it: the gateway's public
 * path, the headers that carry the
 * propagation of a write, and the public {@code name} of a binding.
 *
 * <p>A binding's name is derived from its row id in the extension's {@code KEYGATE_BINDING} table,
 * so it is stable for the row's whole life (active, then revoked) and a revoked binding's name is
 * never reused by a later grant of the same role (that is a new row).
 */
public final class RoleBindings {

    /** The gateway's public collection ({@code /{name}} for one binding). */
    public static final String PATH = "/apis/auth/v2/iam/role-bindings";

    /** NeMo Platform's query parameter on member and role-binding writes; {@code true} when absent. */
    public static final String WAIT_PARAM = "wait_role_propagation";

    /**
     * Set by the extension on a successful membership write: comma-separated Keycloak user ids
     * whose memberships the write changed (none for a no-op, a pending grant or the wildcard), so
     * the gateway knows whose security event to wait for.
     */
    public static final String CHANGED_SUBJECTS_HEADER = "X-Keygate-Changed-Subjects";

    /**
     * Set by the gateway on a member or role-binding write: {@value #CONFIRMED} (this gateway
     * enforces the change), {@value #NOT_CONFIRMED} (the bounded wait ran out; the write itself
     * succeeded) or {@value #NOT_WAITED} (asked not to wait, nothing to wait for, or no event feed).
     */
    public static final String PROPAGATION_HEADER = "X-Keygate-Role-Propagation";
    public static final String CONFIRMED = "confirmed";
    public static final String NOT_CONFIRMED = "not-confirmed";
    public static final String NOT_WAITED = "not-waited";

    private static final String PREFIX = "rb-";
    private static final Pattern NAME = Pattern.compile("rb-[0-9a-f]{32}");

    private RoleBindings() {
    }

    /** The public name of the binding row {@code id} (a UUID): {@code rb-} and its 32 hex digits. */
    public static String nameOf(String rowId) {
        return PREFIX + rowId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The row id a public name stands for; empty when {@code name} is not one {@link #nameOf} makes. */
    public static Optional<String> rowIdOf(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String hex = name.substring(PREFIX.length());
        return Optional.of(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }
}
