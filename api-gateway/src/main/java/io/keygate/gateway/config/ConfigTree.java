package io.keygate.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, read-only access to the merged configuration (defaults, file, environment). Every
 * accessor takes a dotted key path ({@code auth.enabled}, {@code issuers.0.audiences}) and fails
 * with a {@link ConfigException} naming the key when the value has the wrong type.
 * Route modules added later read their own keys from here (after adding them to
 * {@code keygate/gateway-defaults.yaml}).
 */
public final class ConfigTree {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private final Map<String, Object> root;

    ConfigTree(Map<String, Object> root) {
        this.root = root;
    }

    /** The raw value at {@code path}, or null. */
    public Object get(String path) {
        Object node = root;
        for (String part : path.split("\\.")) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(part);
            } else if (node instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(part);
                node = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
        }
        return node;
    }

    public String string(String path) {
        Object value = get(path);
        if (value == null) {
            return "";
        }
        if (value instanceof Map || value instanceof Collection) {
            throw invalid(path, "must be a single value");
        }
        return String.valueOf(value).trim();
    }

    public boolean bool(String path) {
        Object value = get(path);
        if (value instanceof Boolean b) {
            return b;
        }
        String text = string(path).toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(path, "must be true or false, got '" + text + "'");
    }

    public int integer(String path, int min, int max) {
        Object value = get(path);
        int result;
        if (value instanceof Number n) {
            result = n.intValue();
        } else {
            try {
                result = Integer.parseInt(string(path));
            } catch (NumberFormatException e) {
                throw invalid(path, "must be a whole number, got '" + string(path) + "'");
            }
        }
        if (result < min || result > max) {
            throw invalid(path, "must be between " + min + " and " + max + ", got " + result);
        }
        return result;
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 250ms}, {@code 24h}; a bare number means seconds. */
    public Duration duration(String path, Duration max) {
        String text = string(path);
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw invalid(path, "must be a duration like 30s, 5m, 250ms or 24h, got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration result = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (result.compareTo(max) > 0) {
            throw invalid(path, "must be at most " + max.toSeconds() + "s, got " + text);
        }
        return result;
    }

    public List<String> strings(String path) {
        Object value = get(path);
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Collection<?> items)) {
            throw invalid(path, "must be a list");
        }
        for (Object item : items) {
            if (item == null || item instanceof Map || item instanceof Collection) {
                throw invalid(path, "entries must be single values");
            }
            String text = String.valueOf(item).trim();
            if (!text.isEmpty()) {
                out.add(text);
            }
        }
        return out;
    }

    /** Number of entries of the list at {@code path} (0 when absent). */
    public int size(String path) {
        Object value = get(path);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(path, "must be a list");
        }
        return list.size();
    }

    /** An absolute http(s) URL, or null when the value is empty. */
    public URI httpUrl(String path) {
        String text = string(path);
        if (text.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw invalid(path, "must be an absolute http(s) URL, got '" + text + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw invalid(path, "is not a valid URL: '" + text + "'");
        }
    }

    /** An error about {@code path} that also names the environment variable setting it. */
    public static ConfigException invalid(String path, String problem) {
        return new ConfigException("invalid configuration: " + path + " (env " + EnvNames.of(path) + ") " + problem);
    }
}
