package io.keygate.gateway.freshness;

/**
 * A Security Event Token that passed every check of {@link SetVerifier}.
 *
 * @param jti            its unique id
 * @param seq            its {@code keygate_seq}: realm-wide, gap-free in commit order
 * @param issuedAtMillis its {@code iat}
 * @param change         the one event it carries
 */
record VerifiedSet(String jti, long seq, long issuedAtMillis, Change change) {
}
