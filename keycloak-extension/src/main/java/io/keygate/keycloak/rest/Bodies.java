package io.keygate.keycloak.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.Role;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Parses and validates request bodies: malformed JSON is 400, a well-formed body with wrong content is 422. */
public final class Bodies {

    private final ObjectMapper mapper;

    public Bodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The body as a JSON object. */
    public JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("Request body is required (a JSON object)");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.unprocessable("Request body must be a JSON object");
        }
        return node;
    }

    /** A required string field. */
    public static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.unprocessable("'" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw ApiException.unprocessable("'" + field + "' must be a string");
        }
        return value.asText();
    }

    /** An optional string field; empty when absent or null. */
    public static Optional<String> optionalString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.unprocessable("'" + field + "' must be a string");
        }
        return Optional.of(value.asText());
    }

    /**
     * The {@code roles} of a member create: absent or null means {@link Role#DEFAULT_FOR_NEW_MEMBER},
     * as in NeMo Platform's schema; otherwise as {@link #roles}.
     */
    public static Set<Role> rolesOrDefault(JsonNode body) {
        JsonNode value = body.get("roles");
        if (value == null || value.isNull()) {
            return EnumSet.of(Role.DEFAULT_FOR_NEW_MEMBER);
        }
        return roles(body);
    }

    /** The required, non-empty {@code roles} array of role names (Viewer, Editor, Admin; exact case). */
    public static Set<Role> roles(JsonNode body) {
        JsonNode value = body.get("roles");
        if (value == null || value.isNull()) {
            throw ApiException.unprocessable("'roles' is required: a non-empty list of " + Role.allNames());
        }
        if (!value.isArray() || value.isEmpty()) {
            throw ApiException.unprocessable("'roles' must be a non-empty list of " + Role.allNames());
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ApiException.unprocessable("'roles' must contain only strings: " + Role.allNames());
            }
            roles.add(Role.parse(item.asText()).orElseThrow(() ->
                    ApiException.unprocessable("Unknown role '" + item.asText() + "'; roles are " + Role.allNames())));
        }
        return roles;
    }
}
