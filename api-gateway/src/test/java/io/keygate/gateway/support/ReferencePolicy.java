package io.keygate.gateway.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds NeMo Platform's published policy, {@code shared/reference/nemo-static-authz.yaml}, from the module or repository directory. */
public final class ReferencePolicy {

    private ReferencePolicy() {
    }

    public static Path file() {
        String property = System.getProperty("keygate.reference.dir");
        if (property != null && Files.exists(Path.of(property, "nemo-static-authz.yaml"))) {
            return Path.of(property, "nemo-static-authz.yaml");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/reference/nemo-static-authz.yaml"),
                    dir.resolve("../shared/reference/nemo-static-authz.yaml")}) {
                if (Files.exists(candidate)) {
                    return candidate.normalize().toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("shared/reference/nemo-static-authz.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
