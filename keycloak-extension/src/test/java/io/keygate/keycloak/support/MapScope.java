package io.keygate.keycloak.support;

import java.util.Map;
import java.util.Set;
import org.keycloak.Config;

/** A provider's {@link Config.Scope} read from a map, for tests of the settings a factory reads in {@code init}. */
public final class MapScope extends Config.AbstractScope {

    private final Map<String, String> values;

    private MapScope(Map<String, String> values) {
        this.values = values;
    }

    public static Config.Scope of(Map<String, String> values) {
        return new MapScope(values);
    }

    @Override
    public String get(String key) {
        return values.get(key);
    }

    @Override
    public Config.Scope scope(String... scope) {
        throw new UnsupportedOperationException();
    }

    @Override
    @SuppressWarnings("deprecation") // still abstract in Config.Scope, so it must be implemented
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public Config.Scope root() {
        return this;
    }
}
