package io.keygate.gateway.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A permission policy: roles (with {@code includes}) map to permissions, endpoints (path pattern
 * + method) map to the permissions and API scopes they need. Built from the plain maps and lists
 * a YAML parser produces, in the shape of NeMo Platform's {@code nemo-static-authz.yaml}
 * (an optional {@code authz} root; {@code permissions} registry tree; {@code roles};
 * {@code endpoints}), which loads unchanged. Two keygate additions on a method entry:
 * {@code org_roles: [...]} (one of these organization roles in {@code {org}}) and
 * {@code org_member: true} (any membership in {@code {org}}). Keys starting with {@code x-} are
 * annotations and ignored.
 *
 * <p>Security contract: the model is immutable after construction; a document with an unknown
 * key, an unknown permission (when a registry is present), an unknown or cyclic role include or
 * a malformed pattern is refused with a {@link PolicyException} naming the key, never loaded
 * half-way.
 */
public final class PolicyModel {

    /** The permission that grants every other permission (the reference's {@code ServiceSystem}). */
    public static final String ALL_PERMISSIONS = "*";

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");
    private static final Set<String> RULE_KEYS = Set.of("permissions", "scopes", "org_roles", "org_member");

    private final Set<String> registry;
    private final Map<String, Set<String>> rolePermissions;
    private final EndpointTable endpoints = new EndpointTable();
    private final List<EndpointRule> rules = new ArrayList<>();

    private PolicyModel(Map<String, Object> root) {
        Map<String, Object> authz = root.containsKey("authz") ? map(root.get("authz"), "authz") : root;
        String prefix = root.containsKey("authz") ? "authz." : "";
        checkKeys(authz, prefix, Set.of("permissions", "roles", "endpoints", "workspaces", "principals"));
        registry = authz.containsKey("permissions") ? flattenRegistry(map(authz.get("permissions"), prefix + "permissions")) : null;
        rolePermissions = resolveRoles(map(authz.getOrDefault("roles", Map.of()), prefix + "roles"), prefix + "roles");
        loadEndpoints(map(authz.getOrDefault("endpoints", Map.of()), prefix + "endpoints"), prefix + "endpoints");
    }

    /** Builds a model from a parsed policy document. */
    public static PolicyModel fromMap(Map<String, Object> document) {
        if (document == null) {
            throw new PolicyException("policy document is empty");
        }
        return new PolicyModel(document);
    }

    /** The permissions {@code role} grants, includes resolved; empty for an unknown role. */
    public Set<String> permissionsOf(String role) {
        return rolePermissions.getOrDefault(role, Set.of());
    }

    /** True when {@code role} grants every permission in {@code required}. */
    public boolean grants(String role, Set<String> required) {
        Set<String> granted = rolePermissions.get(role);
        if (granted == null) {
            return required.isEmpty();
        }
        return granted.contains(ALL_PERMISSIONS) || granted.containsAll(required);
    }

    /** Role names in declaration order. */
    public List<String> roleNames() {
        return List.copyOf(rolePermissions.keySet());
    }

    /** Every endpoint rule, in document order. */
    public List<EndpointRule> rules() {
        return Collections.unmodifiableList(rules);
    }

    EndpointTable endpoints() {
        return endpoints;
    }

    private static Set<String> flattenRegistry(Map<String, Object> tree) {
        Set<String> names = new HashSet<>();
        flatten(tree, "", names);
        return Set.copyOf(names);
    }

    private static void flatten(Map<String, Object> node, String name, Set<String> out) {
        boolean leaf = false;
        for (Map.Entry<String, Object> entry : node.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> child) {
                flatten(asStringMap(child), name.isEmpty() ? entry.getKey() : name + "." + entry.getKey(), out);
            } else {
                leaf = true;
            }
        }
        if (leaf && !name.isEmpty()) {
            out.add(name);
        }
    }

    private Map<String, Set<String>> resolveRoles(Map<String, Object> roles, String key) {
        Map<String, Set<String>> direct = new LinkedHashMap<>();
        Map<String, List<String>> includes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : roles.entrySet()) {
            String roleKey = key + "." + entry.getKey();
            Map<String, Object> role = map(entry.getValue(), roleKey);
            checkKeys(role, roleKey + ".", Set.of("description", "includes", "permissions"));
            List<String> permissions = strings(role.get("permissions"), roleKey + ".permissions");
            for (String permission : permissions) {
                checkPermission(permission, roleKey + ".permissions", true);
            }
            direct.put(entry.getKey(), new LinkedHashSet<>(permissions));
            includes.put(entry.getKey(), strings(role.get("includes"), roleKey + ".includes"));
        }
        Map<String, Set<String>> resolved = new LinkedHashMap<>();
        for (String role : direct.keySet()) {
            Set<String> all = new HashSet<>();
            collect(role, direct, includes, new LinkedHashSet<>(), all, key);
            resolved.put(role, Set.copyOf(all));
        }
        return Collections.unmodifiableMap(resolved);
    }

    private static void collect(String role, Map<String, Set<String>> direct, Map<String, List<String>> includes,
                                Set<String> path, Set<String> out, String key) {
        if (!direct.containsKey(role)) {
            throw new PolicyException(key + "." + path.iterator().next() + ".includes: unknown role '" + role + "'");
        }
        if (!path.add(role)) {
            throw new PolicyException(key + "." + role + ".includes: cycle through " + String.join(" -> ", path) + " -> " + role);
        }
        out.addAll(direct.get(role));
        for (String included : includes.get(role)) {
            collect(included, direct, includes, path, out, key);
        }
        path.remove(role);
    }

    private void loadEndpoints(Map<String, Object> endpointMap, String key) {
        for (Map.Entry<String, Object> entry : endpointMap.entrySet()) {
            String pattern = entry.getKey();
            String patternKey = key + "." + pattern;
            List<String> segments = checkPattern(pattern, patternKey);
            for (Map.Entry<String, Object> method : map(entry.getValue(), patternKey).entrySet()) {
                String methodKey = patternKey + "." + method.getKey();
                if (!METHODS.contains(method.getKey().toLowerCase(Locale.ROOT))) {
                    throw new PolicyException(methodKey + ": unknown HTTP method");
                }
                EndpointRule rule = rule(pattern, segments, method.getKey().toUpperCase(Locale.ROOT), map(method.getValue(), methodKey), methodKey);
                endpoints.add(segments, rule);
                rules.add(rule);
            }
        }
    }

    private EndpointRule rule(String pattern, List<String> segments, String method, Map<String, Object> spec, String key) {
        for (String field : spec.keySet()) {
            if (!RULE_KEYS.contains(field) && !field.startsWith("x-")) {
                throw new PolicyException(key + "." + field + ": unknown key (expected " + RULE_KEYS + ")");
            }
        }
        List<String> permissions = strings(spec.get("permissions"), key + ".permissions");
        for (String permission : permissions) {
            checkPermission(permission, key + ".permissions", false);
        }
        List<String> orgRoles = strings(spec.get("org_roles"), key + ".org_roles");
        Object orgMemberValue = spec.getOrDefault("org_member", Boolean.FALSE);
        if (!(orgMemberValue instanceof Boolean)) {
            throw new PolicyException(key + ".org_member: must be true or false");
        }
        boolean orgMember = (Boolean) orgMemberValue;
        int orgIndex = segments.indexOf("{org}");
        if ((orgMember || !orgRoles.isEmpty()) && orgIndex < 0) {
            throw new PolicyException(key + ": org_roles/org_member need an {org} segment in the path");
        }
        return new EndpointRule(pattern, method, new LinkedHashSet<>(permissions), strings(spec.get("scopes"), key + ".scopes"),
                new LinkedHashSet<>(orgRoles), orgMember, workspaceIndex(segments), orgIndex);
    }

    /** {@code {workspace}} names the workspace; on workspace routes, {@code {name}} right after {@code workspaces} does. */
    private static int workspaceIndex(List<String> segments) {
        int index = segments.indexOf("{workspace}");
        if (index >= 0) {
            return index;
        }
        for (int i = 1; i < segments.size(); i++) {
            if (segments.get(i).equals("{name}") && segments.get(i - 1).equals("workspaces")) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> checkPattern(String pattern, String key) {
        if (!pattern.startsWith("/")) {
            throw new PolicyException(key + ": path pattern must start with '/'");
        }
        List<String> segments = EndpointTable.split(pattern);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new PolicyException(key + ": empty or dot segment in path pattern");
            }
            boolean braces = segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0;
            if (braces && !EndpointTable.isPlaceholder(segment)) {
                throw new PolicyException(key + ": a placeholder must fill a whole segment, got '" + segment + "'");
            }
        }
        return segments;
    }

    private void checkPermission(String permission, String key, boolean wildcardAllowed) {
        if (wildcardAllowed && permission.equals(ALL_PERMISSIONS)) {
            return;
        }
        if (registry != null && !registry.contains(permission)) {
            throw new PolicyException(key + ": unknown permission '" + permission + "' (not in the permissions registry)");
        }
    }

    private static void checkKeys(Map<String, Object> map, String prefix, Set<String> allowed) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new PolicyException(prefix + key + ": unknown key (expected one of " + allowed + ")");
            }
        }
    }

    private static Map<String, Object> map(Object value, String key) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new PolicyException(key + ": must be a mapping");
        }
        return asStringMap(raw);
    }

    private static Map<String, Object> asStringMap(Map<?, ?> raw) {
        Map<String, Object> copy = new LinkedHashMap<>();
        raw.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private static List<String> strings(Object value, String key) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Collection<?> items)) {
            throw new PolicyException(key + ": must be a list");
        }
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String s) || s.isBlank()) {
                throw new PolicyException(key + ": entries must be non-empty strings, got " + item);
            }
            out.add(s);
        }
        return out;
    }
}
