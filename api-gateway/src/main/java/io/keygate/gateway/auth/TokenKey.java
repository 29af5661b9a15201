package io.keygate.gateway.auth;

/**
 * The key under which something learnt from a bearer token is cached.
 *
 * <p>Security contract: a key equals only a key of the identical token (the whole strings are
 * compared), so a token differing in any character never finds another token's entry. Only the
 * hash is cheap: it covers the length and the last {@value #HASHED_CHARS} characters, the end of
 * a JWS's signature, which differs between any two tokens an issuer signed. Tokens made to share
 * that tail share a hash bucket, never an entry.
 *
 * <p>Why: a Keycloak access token is about 1 KB, and the key string is new on every request, so
 * {@link String#hashCode()} hashed the whole token each time (about 1 µs on Java 17, which has no
 * vectorized string hash; docs/benchmarks.md).
 */
public final class TokenKey {

    static final int HASHED_CHARS = 32;

    private final String token;
    private final int hash;

    private TokenKey(String token, int hash) {
        this.token = token;
        this.hash = hash;
    }

    public static TokenKey of(String token) {
        int length = token.length();
        int hash = length;
        for (int i = Math.max(0, length - HASHED_CHARS); i < length; i++) {
            hash = 31 * hash + token.charAt(i);
        }
        return new TokenKey(token, hash);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenKey key && key.hash == hash && key.token.equals(token);
    }

    @Override
    public String toString() {
        return "TokenKey[" + token.length() + " characters]";
    }
}
