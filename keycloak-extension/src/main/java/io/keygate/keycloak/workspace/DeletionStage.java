package io.keygate.keycloak.workspace;

import java.util.Locale;
import java.util.Optional;

/** Stages of the asynchronous workspace cleanup. A workspace with any stage is invisible but its name stays taken. */
public enum DeletionStage {
    PENDING,
    DELETING,
    FAILED;

    /** Wire form: {@code pending}, {@code deleting}, {@code failed}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeletionStage> parse(String value) {
        for (DeletionStage stage : values()) {
            if (stage.wireName().equals(value)) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }
}
