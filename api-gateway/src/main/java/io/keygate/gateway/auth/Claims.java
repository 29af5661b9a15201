package io.keygate.gateway.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads values out of a claims map by dotted path ({@code realm_access.roles}). */
final class Claims {

    private Claims() {
    }

    static Object at(Map<String, Object> claims, String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        Object direct = claims.get(path);
        if (direct != null || path.indexOf('.') < 0) {
            return direct;
        }
        Object node = claims;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    static String string(Map<String, Object> claims, String path) {
        Object value = at(claims, path);
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    /** A list claim, or a space-separated string claim, as strings; empty when absent or of another type. */
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            for (String part : s.split(" ")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
