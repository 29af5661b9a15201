package io.keygate.keycloak.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.keygate.core.Role;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;

class WildcardCacheTest {

    private final Map<String, String> attributes = new HashMap<>();
    private final RealmModel realm = realm("r1", attributes);
    private final AtomicInteger loads = new AtomicInteger();
    private Map<String, Role> current = Map.of("a", Role.Viewer);

    @Test
    void loadsOncePerVersionAndAgainAfterAnInvalidation() {
        WildcardCache cache = new WildcardCache();
        assertEquals(Map.of("a", Role.Viewer), cache.wildcardRoles(realm, this::load));
        assertEquals(Map.of("a", Role.Viewer), cache.wildcardRoles(realm, this::load));
        assertEquals(1, loads.get(), "second token in the same version reads the cache");

        current = Map.of("a", Role.Editor, "b", Role.Viewer);
        String before = attributes.get(WildcardCache.VERSION_ATTRIBUTE);
        WildcardCache.invalidate(realm);
        assertNotEquals(before, attributes.get(WildcardCache.VERSION_ATTRIBUTE));
        assertEquals(Map.of("a", Role.Editor, "b", Role.Viewer), cache.wildcardRoles(realm, this::load));
        assertEquals(2, loads.get());
    }

    @Test
    void realmsAreCachedApart() {
        WildcardCache cache = new WildcardCache();
        cache.wildcardRoles(realm, this::load);
        Map<String, Role> other = cache.wildcardRoles(realm("r2", new HashMap<>()), () -> Map.of("x", Role.Editor));
        assertEquals(Map.of("x", Role.Editor), other);
        assertEquals(Map.of("a", Role.Viewer), cache.wildcardRoles(realm, this::load));
        assertEquals(1, loads.get());
    }

    private Map<String, Role> load() {
        loads.incrementAndGet();
        return current;
    }

    /** A realm with an id and string attributes only: all the cache reads. */
    private static RealmModel realm(String id, Map<String, String> attributes) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "getAttribute" -> args.length == 1 ? attributes.get((String) args[0]) : null;
                    case "setAttribute" -> {
                        attributes.put((String) args[0], String.valueOf(args[1]));
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
