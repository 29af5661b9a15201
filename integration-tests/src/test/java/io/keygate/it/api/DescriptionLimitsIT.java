package io.keygate.it.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.core.Descriptions;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15: description lengths against the real Keycloak, through the gateway and directly on the
 * extension, on create and on update. A description within {@link Descriptions#WORKSPACE} (255
 * UTF-16 code units, Keycloak's group column) is stored and read back unchanged; a longer one is
 * 422 naming the limit, never a 5xx, and a refused request changes nothing.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DescriptionLimitsIT {

    private static final String EMOJI = "\uD83D\uDE00";
    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    String email;
    String token;
    long databaseErrorsBefore;
    final Http http = new Http();
    final List<String> table = new ArrayList<>();

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak);
        email = keycloak.newUser("descriptions");
        token = keycloak.userToken(email);
        databaseErrorsBefore = valueTooLongInKeycloakLog();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    /** The descriptions the issue names: 255, 256, 4,000 and 70,000 long, ASCII and multi-byte. */
    static Map<String, String> samples() {
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("255 ascii", "a".repeat(255));
        samples.put("256 ascii", "a".repeat(256));
        samples.put("4000 ascii", "a".repeat(4000));
        samples.put("70000 ascii", "a".repeat(70_000));
        samples.put("255 é", "é".repeat(255));
        samples.put("256 é", "é".repeat(256));
        samples.put("4000 é", "é".repeat(4000));
        samples.put("127 emoji (254 units)", EMOJI.repeat(127));
        samples.put("128 emoji (256 units)", EMOJI.repeat(128));
        samples.put("255 emoji (510 units)", EMOJI.repeat(255));
        samples.put("mixed 253 units", "é" + EMOJI.repeat(126));
        return samples;
    }

    /** Both doors to the same workspace data: the gateway's public API and the extension's own. */
    private List<Door> doors() {
        return List.of(new Door("gateway", gateway.url(WORKSPACES)), new Door("extension", keycloak.keygateApi() + "/workspaces"));
    }

    private record Door(String name, String workspaces) {
    }

    @Test
    void createAllowsWhatFitsAndRefusesTheRestWith422NamingTheLimit() {
        for (Door door : doors()) {
            samples().forEach((label, description) -> {
                String name = KeycloakServer.unique("desc-c");
                Http.Response created = http.post(door.workspaces(), token, Map.of("name", name, "description", description));
                record(door, "create", label, created);
                if (fits(description)) {
                    assertEquals(201, created.status(), door + " " + label + ": " + created);
                    assertEquals(description, readInKeycloak(name, token).json().get("description").asText(), door + " " + label);
                } else {
                    assertRefused(door, label, created);
                    assertEquals(404, readInKeycloak(name, token).status(), door + " " + label + ": a refused create leaves no workspace");
                }
            });
        }
        assertNoDatabaseError();
    }

    @Test
    void updateAllowsWhatFitsAndARefusedUpdateChangesNothing() {
        for (Door door : doors()) {
            String name = KeycloakServer.unique("desc-u");
            Http.expect(201, http.post(door.workspaces(), token, Map.of("name", name, "description", "before")));
            String admin = keycloak.userToken(email); // the gateway decides on the token's claims: one that names the workspace
            samples().forEach((label, description) -> {
                String before = readInKeycloak(name, admin).json().get("description").asText();
                Http.Response updated = http.put(door.workspaces() + "/" + name, admin, Map.of("description", description));
                record(door, "update", label, updated);
                String after = readInKeycloak(name, admin).json().get("description").asText();
                if (fits(description)) {
                    assertEquals(200, updated.status(), door + " " + label + ": " + updated);
                    assertEquals(description, after, door + " " + label);
                } else {
                    assertRefused(door, label, updated);
                    assertEquals(before, after, door + " " + label + ": a refused update changes nothing");
                }
            });
        }
        assertNoDatabaseError();
    }

    @Test
    void resourceDescriptionsThroughTheGatewayFollowTheirOwnLimit() {
        String workspace = KeycloakServer.unique("desc-r");
        Http.expect(201, gateway.post(WORKSPACES, token, Map.of("name", workspace)));
        String token = keycloak.userToken(email);
        String projects = WORKSPACES + "/" + workspace + "/projects";
        Http.expect(201, gateway.post(projects, token, Map.of("name", "p1", "description", "é".repeat(4000))));
        Http.Response tooLong = gateway.post(projects, token, Map.of("name", "p2", "description", "a".repeat(70_000)));
        Http.Response updateTooLong = gateway.put(projects + "/p1", token, Map.of("description", EMOJI.repeat(2001)));
        System.out.println("[keygate-it] project 4000 é -> 201; 70000 ascii -> " + tooLong + "; update 2001 emoji -> " + updateTooLong);
        for (Http.Response refused : List.of(tooLong, updateTooLong)) {
            assertEquals(422, refused.status(), refused.toString());
            assertTrue(refused.json().get("detail").asText().contains("at most " + Descriptions.RESOURCE.maxLength()), refused.toString());
        }
        assertEquals("é".repeat(4000), gateway.get(projects + "/p1", token).json().get("description").asText());
        assertEquals(404, gateway.get(projects + "/p2", token).status());
    }

    @AfterAll
    void printTable() {
        System.out.println("[keygate-it] description limits (door action sample -> status):\n  " + String.join("\n  ", table));
    }

    private boolean fits(String description) {
        return Descriptions.WORKSPACE.violation(description).isEmpty();
    }

    /** The workspace as Keycloak holds it (the extension decides on live membership: 404 when absent). */
    private Http.Response readInKeycloak(String name, String bearer) {
        return http.get(keycloak.keygateApi() + "/workspaces/" + name, bearer);
    }

    private void record(Door door, String action, String label, Http.Response response) {
        table.add(door.name() + " " + action + " " + label + " -> " + response.status());
        assertTrue(response.status() < 500, door + " " + action + " " + label + ": " + response);
    }

    private static void assertRefused(Door door, String label, Http.Response response) {
        assertEquals(422, response.status(), door + " " + label + ": " + response);
        assertEquals("application/json", response.header("Content-Type").split(";")[0], door + " " + label);
        String detail = response.json().get("detail").asText();
        assertTrue(detail.contains("at most " + Descriptions.WORKSPACE.maxLength()), door + " " + label + ": " + detail);
    }

    /** Nothing reached Keycloak's database that its column refuses (the 502 of the issue). */
    private void assertNoDatabaseError() {
        assertEquals(databaseErrorsBefore, valueTooLongInKeycloakLog(), "Keycloak logged a 'Value too long' database error");
    }

    private long valueTooLongInKeycloakLog() {
        try {
            return Files.readString(keycloak.log(), StandardCharsets.UTF_8).lines().filter(line -> line.contains("Value too long")).count();
        } catch (IOException e) {
            throw new AssertionError("cannot read the Keycloak log " + keycloak.log(), e);
        }
    }
}
