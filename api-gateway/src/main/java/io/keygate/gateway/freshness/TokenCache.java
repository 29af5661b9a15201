package io.keygate.gateway.freshness;

import io.keygate.gateway.auth.TokenKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map keyed by the exact token string ({@link TokenKey}), for results derived from an already verified
 * token. When full it is emptied (results are recomputed, never trusted beyond what made them).
 */
final class TokenCache<V> {

    private final int maxEntries;
    private final Map<TokenKey, V> entries = new ConcurrentHashMap<>();

    TokenCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    V get(String token) {
        return entries.get(TokenKey.of(token));
    }

    void put(String token, V value) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(TokenKey.of(token), value);
    }
}
