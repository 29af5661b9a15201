package io.keygate.it.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Test client for the extension's REST API and the few Keycloak admin REST calls the tests need. */
final class KeygateApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Http http = new Http();
    final KeycloakServer keycloak;

    KeygateApi(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    Http.Response get(String path, String token) {
        return http.get(keycloak.keygateApi() + path, token);
    }

    Http.Response post(String path, String token, Object body) {
        return http.post(keycloak.keygateApi() + path, token, body);
    }

    Http.Response put(String path, String token, Object body) {
        return http.put(keycloak.keygateApi() + path, token, body);
    }

    Http.Response delete(String path, String token) {
        return http.delete(keycloak.keygateApi() + path, token);
    }

    /** Creates a workspace as the token's user (who becomes its Admin); fails the test unless 201. */
    JsonNode createWorkspace(String token, String name) {
        Http.Response response = post("/workspaces", token, Map.of("name", name, "description", "test workspace"));
        expect(201, response);
        return response.json();
    }

    JsonNode addMember(String token, String workspace, String principal, String... roles) {
        Http.Response response = post("/workspaces/" + workspace + "/members", token,
                Map.of("principal", principal, "roles", List.of(roles)));
        expect(201, response);
        return response.json();
    }

    /** A new user with a unique email; returns the email. */
    String newUser(String prefix) {
        return keycloak.newUser(prefix);
    }

    // ---- Keycloak admin REST API

    String groupId(String adminToken, String path) {
        Http.Response response = http.get(keycloak.adminApi() + "/group-by-path" + path, adminToken);
        expect(200, response);
        return response.json().get("id").asText();
    }

    String userId(String adminToken, String email) {
        Http.Response response = http.get(keycloak.adminApi() + "/users?exact=true&email=" + Http.enc(email), adminToken);
        expect(200, response);
        return response.json().get(0).get("id").asText();
    }

    Http.Response adminJoin(String adminToken, String userId, String groupId) {
        return http.send(Http.request(keycloak.adminApi() + "/users/" + userId + "/groups/" + groupId, adminToken)
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()));
    }

    Http.Response adminLeave(String adminToken, String userId, String groupId) {
        return http.delete(keycloak.adminApi() + "/users/" + userId + "/groups/" + groupId, adminToken);
    }

    // ---- tokens

    /** The decoded payload of a JWT (signature checked elsewhere; these tests read claims). */
    static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void expect(int status, Http.Response response) {
        Http.expect(status, response);
    }
}
