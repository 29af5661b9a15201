package io.keygate.keycloak.workspace;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RealmModel;

/**
 * The realm-wide wildcard map (workspace → wildcard role) kept per realm, so that issuing a token
 * does not search every workspace's attributes. Each entry is tagged with the realm attribute
 * {@value #VERSION_ATTRIBUTE}, which every wildcard-affecting change rewrites ({@link #invalidate}):
 * a realm update that Keycloak's own realm cache invalidates on every cluster node, so each node
 * reloads the map at its next token after the change commits. Entries also expire after
 * {@link #MAX_AGE_MILLIS}, bounding how long a change no listener saw can stay in tokens.
 */
public final class WildcardCache {

    /** Realm attribute naming the current version of the realm's wildcard bindings. */
    public static final String VERSION_ATTRIBUTE = "keygate.wildcard.version";
    static final long MAX_AGE_MILLIS = 30_000;

    private final ConcurrentMap<String, Entry> byRealm = new ConcurrentHashMap<>();

    /** The realm's wildcard map, loaded with {@code load} when absent, stale or expired. */
    public Map<String, Role> wildcardRoles(RealmModel realm, Supplier<Map<String, Role>> load) {
        String version = Objects.toString(realm.getAttribute(VERSION_ATTRIBUTE), "");
        long now = System.currentTimeMillis();
        Entry entry = byRealm.get(realm.getId());
        if (entry == null || !entry.version().equals(version) || now - entry.loadedAt() > MAX_AGE_MILLIS) {
            entry = new Entry(version, now, Map.copyOf(load.get()));
            byRealm.put(realm.getId(), entry);
        }
        return entry.roles();
    }

    /** Marks the realm's wildcard bindings as changed (in the caller's transaction), on every node. */
    public static void invalidate(RealmModel realm) {
        realm.setAttribute(VERSION_ATTRIBUTE, UUID.randomUUID().toString());
    }

    /**
     * {@link #invalidate}s only when this workspace's part of the wildcard map (its wildcard role, none while
     * it is being deleted) differs from what it last published ({@link WorkspaceLayout#ATTR_WILDCARD_PUBLISHED},
     * which this records). Every attribute write of a workspace group fires an update event; rewriting the realm
     * on each would invalidate the realm in every node's cache at every workspace create and make concurrent
     * creates collide on that one realm attribute. Absent or edited away, the record is written again with an
     * invalidation: a doubt costs one reload, never a stale wildcard.
     */
    public static void invalidateIfChanged(RealmModel realm, GroupModel workspace) {
        String current = wildcardPart(workspace);
        if (Objects.equals(current, workspace.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED))) {
            return;
        }
        if (current == null) {
            workspace.removeAttribute(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED);
        } else {
            workspace.setSingleAttribute(WorkspaceLayout.ATTR_WILDCARD_PUBLISHED, current);
        }
        invalidate(realm);
    }

    /** The role this workspace adds to the wildcard map, as the map's loader reads it; null for none. */
    private static String wildcardPart(GroupModel workspace) {
        if (workspace.getFirstAttribute(WorkspaceLayout.ATTR_DELETION_STAGE) != null) {
            return null;
        }
        return Role.parse(workspace.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE))
                .filter(WorkspaceLayout::isAllowedWildcardRole).map(Role::name).orElse(null);
    }

    private record Entry(String version, long loadedAt, Map<String, Role> roles) {
    }
}
