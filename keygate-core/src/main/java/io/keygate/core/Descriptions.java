package io.keygate.core;

import java.util.Optional;

/**
 * The one rule for free-text descriptions, with a limit for each place a description is stored.
 * The gateway and the Keycloak extension both check it before anything is written, so a
 * description that does not fit answers 422 naming the limit instead of failing in the database.
 *
 * <p>Length is counted in UTF-16 code units ({@link String#length()}), which is how H2 (Keycloak's
 * dev database and the gateway's default store) counts a {@code VARCHAR(n)}; PostgreSQL counts code
 * points, so the rule is never looser than either: {@code é} counts 1, an emoji outside the Basic
 * Multilingual Plane counts 2. A description must also be text every supported database keeps
 * unchanged: no NUL (PostgreSQL refuses it) and no unpaired surrogate (UTF-8 cannot encode it).
 */
public enum Descriptions {

    /**
     * A workspace's description is its Keycloak group's description (what the admin console shows
     * and edits), column {@code KEYCLOAK_GROUP.DESCRIPTION NVARCHAR(255)} in Keycloak 26.7.
     */
    WORKSPACE("workspace", 255),

    /** Resources (projects, models, ...) and org allocations in the gateway's store, {@code VARCHAR(4000)}. */
    RESOURCE("resource", 4000);

    private final String owner;
    private final int maxLength;

    Descriptions(String owner, int maxLength) {
        this.owner = owner;
        this.maxLength = maxLength;
    }

    /** The most UTF-16 code units a description may have here. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * The rule {@code description} breaks, as a sentence naming the limit, or empty when it fits.
     * {@code null} (no description) always fits.
     */
    public Optional<String> violation(String description) {
        if (description == null) {
            return Optional.empty();
        }
        if (description.length() > maxLength) {
            return Optional.of("a " + owner + " description must be at most " + maxLength
                    + " characters (UTF-16 code units: an emoji counts 2), got " + description.length());
        }
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (c == '\u0000') {
                return Optional.of("a description must not contain the NUL character (U+0000); found at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < description.length() && Character.isLowSurrogate(description.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("a description must be valid Unicode text; unpaired surrogate at index " + i);
            }
        }
        return Optional.empty();
    }

    /** Throws 422 with {@link #violation} when {@code description} does not fit; returns it otherwise. */
    public String require(String description) {
        violation(description).ifPresent(problem -> {
            throw ApiException.unprocessable("Invalid description: " + problem);
        });
        return description;
    }
}
