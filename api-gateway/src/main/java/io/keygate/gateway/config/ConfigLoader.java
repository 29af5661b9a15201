package io.keygate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the gateway configuration: built-in defaults, then one YAML file, then environment
 * variables (see {@link EnvNames}); then validates everything into a {@link GatewayConfig}.
 * Unknown keys, wrong types and inconsistent settings stop start-up with a message naming the key.
 */
public final class ConfigLoader {

    static final Set<String> CLAIM_MAPPING_KEYS = Set.of(
            "orgName", "orgDisplayName", "roles", "rolesAttribute", "orgAttribute", "orgDisplayAttribute", "isServiceAccount");
    private static final Pattern ISSUER_ENV = Pattern.compile(Pattern.quote(EnvNames.PREFIX) + "ISSUERS_(\\d{1,2})_.*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {
    }

    /** Loads {@code file} (which must exist) with the given environment. */
    public static GatewayConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return fromYaml(text, env);
    }

    /** Builds the configuration from YAML text (may be empty) and the environment. */
    public static GatewayConfig fromYaml(String yaml, Map<String, String> env) {
        Map<String, Object> defaults = resource("keygate/gateway-defaults.yaml");
        Map<String, Object> issuerDefaults = resource("keygate/issuer-defaults.yaml");
        Map<String, Object> file = parse(yaml, "configuration file");
        checkKnownKeys(file, defaults, issuerDefaults, "");
        Map<String, Object> merged = deepMerge(defaults, file);
        List<Object> issuers = issuerList(merged, env);
        for (int i = 0; i < issuers.size(); i++) {
            issuers.set(i, deepMerge(issuerDefaults, asMap(issuers.get(i), "issuers." + i)));
        }
        merged.put("issuers", issuers);
        applyEnv(merged, "", env);
        return GatewayConfig.from(new ConfigTree(merged));
    }

    /** Parses a YAML document into plain maps and lists; {@code what} names it in errors. */
    public static Map<String, Object> parse(String yaml, String what) {
        if (yaml == null || yaml.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> map = YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() { });
            return map == null ? new LinkedHashMap<>() : map;
        } catch (JsonProcessingException e) {
            throw new ConfigException(what + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
    }

    /** Reads and parses a YAML resource from the classpath. */
    public static Map<String, Object> resource(String name) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException("missing built-in resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new ConfigException("cannot read built-in resource " + name, e);
        }
    }

    private static void checkKnownKeys(Map<String, Object> file, Map<String, Object> known, Map<String, Object> issuerKnown, String prefix) {
        for (Map.Entry<String, Object> entry : file.entrySet()) {
            String key = prefix + entry.getKey();
            if (!known.containsKey(entry.getKey())) {
                throw new ConfigException("invalid configuration: unknown key " + key);
            }
            Object expected = known.get(entry.getKey());
            if (expected instanceof Map<?, ?> sub && entry.getValue() != null) {
                checkKnownKeys(asMap(entry.getValue(), key), asMap(sub, key), issuerKnown, key + ".");
            } else if (key.equals("issuers") && entry.getValue() != null) {
                checkListEntries(entry.getValue(), key, issuerKnown);
            } else if (key.endsWith(".claimMappings") && entry.getValue() != null) {
                checkClaimMappings(entry.getValue(), key);
            }
        }
    }

    private static void checkListEntries(Object list, String key, Map<String, Object> entryKnown) {
        if (!(list instanceof List<?> entries)) {
            throw new ConfigException("invalid configuration: " + key + " must be a list");
        }
        for (int i = 0; i < entries.size(); i++) {
            checkKnownKeys(asMap(entries.get(i), key + "." + i), entryKnown, entryKnown, key + "." + i + ".");
        }
    }

    private static void checkClaimMappings(Object list, String key) {
        if (!(list instanceof List<?> entries)) {
            throw new ConfigException("invalid configuration: " + key + " must be a list");
        }
        for (int i = 0; i < entries.size(); i++) {
            for (String field : asMap(entries.get(i), key + "." + i).keySet()) {
                if (!CLAIM_MAPPING_KEYS.contains(field)) {
                    throw new ConfigException("invalid configuration: unknown key " + key + "." + i + "." + field);
                }
            }
        }
    }

    private static List<Object> issuerList(Map<String, Object> merged, Map<String, String> env) {
        Object value = merged.get("issuers");
        List<Object> issuers = new ArrayList<>(value instanceof List<?> l ? l : List.of());
        int needed = issuers.size();
        for (String name : env.keySet()) {
            Matcher m = ISSUER_ENV.matcher(name);
            if (m.matches()) {
                needed = Math.max(needed, Integer.parseInt(m.group(1)) + 1);
            }
        }
        while (issuers.size() < needed) {
            issuers.add(new LinkedHashMap<String, Object>());
        }
        return issuers;
    }

    private static void applyEnv(Map<String, Object> node, String prefix, Map<String, String> env) {
        for (Map.Entry<String, Object> entry : node.entrySet()) {
            String path = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?>) {
                applyEnv(asMap(value, path), path + ".", env);
                continue;
            }
            if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
                for (int i = 0; i < list.size(); i++) {
                    applyEnv(asMap(list.get(i), path + "." + i), path + "." + i + ".", env);
                }
                continue;
            }
            String override = env.get(EnvNames.of(path));
            if (override != null) {
                entry.setValue(value instanceof List || isListKey(path) ? splitList(override) : override);
            }
        }
    }

    private static boolean isListKey(String path) {
        return path.endsWith("audiences") || path.endsWith("algorithms") || path.endsWith("roles") || path.endsWith("publicPaths");
    }

    private static List<String> splitList(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value, String key) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigException("invalid configuration: " + key + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    /** A deep copy of {@code base} with {@code override} laid over it. */
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> out = new LinkedHashMap<>();
        base.forEach((k, v) -> out.put(k, copy(v)));
        override.forEach((k, v) -> {
            Object existing = out.get(k);
            if (existing instanceof Map<?, ?> && v instanceof Map<?, ?>) {
                out.put(k, deepMerge(asMap(existing, k), asMap(v, k)));
            } else {
                out.put(k, copy(v));
            }
        });
        return out;
    }

    private static Object copy(Object value) {
        if (value instanceof Map<?, ?>) {
            return deepMerge(asMap(value, ""), Map.of());
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(copy(item)));
            return out;
        }
        return value;
    }
}
