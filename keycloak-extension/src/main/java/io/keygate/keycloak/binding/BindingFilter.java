package io.keygate.keycloak.binding;

import java.util.List;

/**
 * What a history query keeps: each part is optional (null = no condition) and all parts must hold.
 * String fields match the binding's public values (the principal's email or username, not the
 * user id); times are epoch milliseconds, inclusive.
 */
public record BindingFilter(Text principal, Text workspace, Text role, Text grantedBy, Boolean active,
                            Range grantedAt, Range revokedAt) {

    public static final BindingFilter NONE = new BindingFilter(null, null, null, null, null, null, null);

    /**
     * A string condition in NeMo Platform's terms: {@code $eq}/{@code $in} (one of {@code anyOf}),
     * {@code $nin} (none of {@code noneOf}), {@code $like} (an SQL LIKE pattern). Null parts hold.
     */
    public record Text(List<String> anyOf, List<String> noneOf, String like) {

        public static Text equalTo(String value) {
            return new Text(List.of(value), null, null);
        }
    }

    /** {@code gte} / {@code lte} bounds in epoch milliseconds; a null bound is open. */
    public record Range(Long from, Long to) {
    }
}
