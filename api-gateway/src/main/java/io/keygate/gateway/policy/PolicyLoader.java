package io.keygate.gateway.policy;

import io.keygate.gateway.config.ConfigException;
import io.keygate.gateway.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a policy document (YAML, in the shape of NeMo Platform's {@code nemo-static-authz.yaml})
 * into a {@link PolicyEngine}. Without a file, the built-in policy for keygate's own API
 * ({@code keygate/default-policy.yaml}) is used.
 */
public final class PolicyLoader {

    public static final String DEFAULT_POLICY_RESOURCE = "keygate/default-policy.yaml";

    private PolicyLoader() {
    }

    /** The engine for {@code file}, or for the built-in policy when {@code file} is null or empty. */
    public static PolicyEngine load(String file) {
        if (file == null || file.isBlank()) {
            return builtIn();
        }
        return fromFile(Path.of(file));
    }

    public static PolicyEngine builtIn() {
        return build(ConfigLoader.resource(DEFAULT_POLICY_RESOURCE), DEFAULT_POLICY_RESOURCE);
    }

    public static PolicyEngine fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("invalid configuration: policy.file cannot be read: " + file + " (" + e.getMessage() + ")", e);
        }
        return build(ConfigLoader.parse(text, "policy file " + file), file.toString());
    }

    private static PolicyEngine build(java.util.Map<String, Object> document, String source) {
        try {
            return new PolicyEngine(PolicyModel.fromMap(document));
        } catch (PolicyException e) {
            throw new ConfigException("invalid policy " + source + ": " + e.getMessage(), e);
        }
    }
}
