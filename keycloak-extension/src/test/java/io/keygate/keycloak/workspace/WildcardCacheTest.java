package io.keygate.keycloak.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.keycloak.models.GroupModel;
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

    @Test
    void aWorkspaceUpdateInvalidatesOnlyWhenItsWildcardChanged() {
        Map<String, String> group = new HashMap<>();
        GroupModel workspace = group(group);
        group.put(WorkspaceLayout.ATTR_UPDATED_AT, "2026-12-02T00:00:00Z");
        WildcardCache.invalidateIfChanged(realm, workspace);
        assertNull(attributes.get(WildcardCache.VERSION_ATTRIBUTE), "an update without a wildcard leaves the realm alone");

        group.put(WorkspaceLayout.ATTR_WILDCARD_ROLE, "Viewer");
        WildcardCache.invalidateIfChanged(realm, workspace);
        String afterWildcard = attributes.get(WildcardCache.VERSION_ATTRIBUTE);
        assertNotNull(afterWildcard, "a new wildcard invalidates");
        assertEquals("Viewer", group.get(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED));

        group.put(WorkspaceLayout.ATTR_UPDATED_BY, "someone");
        WildcardCache.invalidateIfChanged(realm, workspace);
        assertEquals(afterWildcard, attributes.get(WildcardCache.VERSION_ATTRIBUTE), "another attribute's write does not");

        group.put(WorkspaceLayout.ATTR_DELETION_STAGE, "pending");
        WildcardCache.invalidateIfChanged(realm, workspace);
        String afterDeletion = attributes.get(WildcardCache.VERSION_ATTRIBUTE);
        assertNotEquals(afterWildcard, afterDeletion, "a deletion stage takes the wildcard out of the map");
        assertNull(group.get(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED));

        group.remove(WorkspaceLayout.ATTR_DELETION_STAGE);
        group.put(WorkspaceLayout.ATTR_WILDCARD_ROLE, "Admin");
        WildcardCache.invalidateIfChanged(realm, workspace);
        assertEquals(afterDeletion, attributes.get(WildcardCache.VERSION_ATTRIBUTE), "an Admin wildcard is not in the map either");

        group.put(WorkspaceLayout.ATTR_WILDCARD_ROLE, "Editor");
        group.remove(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED);
        WildcardCache.invalidateIfChanged(realm, workspace);
        assertNotEquals(afterDeletion, attributes.get(WildcardCache.VERSION_ATTRIBUTE), "a change, or a lost record, invalidates");
        assertEquals("Editor", group.get(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED));
    }

    /** A group with string attributes only: all {@link WildcardCache#invalidateIfChanged} reads and writes. */
    private static GroupModel group(Map<String, String> attributes) {
        return (GroupModel) Proxy.newProxyInstance(GroupModel.class.getClassLoader(), new Class<?>[] {GroupModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFirstAttribute" -> attributes.get((String) args[0]);
                    case "setSingleAttribute" -> {
                        attributes.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "removeAttribute" -> {
                        attributes.remove((String) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
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
