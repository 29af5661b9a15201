package io.keygate.gateway.auth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers callers established from tokens that were fully verified, keyed by the exact token
 * string, so a token seen again costs one hash lookup instead of a signature check.
 *
 * <p>Security contract: an entry is only ever created after complete verification; it is never
 * returned at or after the token's {@code exp}; the number of entries is bounded (expired
 * entries go first, then arbitrary ones). Because the key is the whole token ({@link TokenKey}), a
 * token differing in any byte is verified from scratch.
 */
final class VerifiedTokenCache {

    private record Entry(AuthenticatedCaller caller, long expiresAtMillis) {
    }

    private final int maxEntries;
    private final Map<TokenKey, Entry> entries;

    VerifiedTokenCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
    }

    AuthenticatedCaller get(String token, long nowMillis) {
        if (maxEntries == 0) {
            return null;
        }
        TokenKey key = TokenKey.of(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nowMillis >= entry.expiresAtMillis) {
            entries.remove(key, entry);
            return null;
        }
        return entry.caller;
    }

    void put(String token, AuthenticatedCaller caller, long expiresAtMillis, long nowMillis) {
        if (maxEntries == 0 || expiresAtMillis <= nowMillis) {
            return;
        }
        if (entries.size() >= maxEntries) {
            evict(nowMillis);
        }
        entries.put(TokenKey.of(token), new Entry(caller, expiresAtMillis));
    }

    int size() {
        return entries.size();
    }

    private synchronized void evict(long nowMillis) {
        if (entries.size() < maxEntries) {
            return;
        }
        entries.values().removeIf(e -> nowMillis >= e.expiresAtMillis);
        int excess = entries.size() - maxEntries + Math.max(1, maxEntries / 10);
        Iterator<TokenKey> keys = entries.keySet().iterator();
        while (excess-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
