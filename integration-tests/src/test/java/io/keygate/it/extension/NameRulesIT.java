package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every naming rule of seed 003, through the REST API: each has a name that passes (201) and
 * one that fails (422 naming the rule). Names are made unique per run with a random part that
 * keeps the rule under test intact.
 */
@RealKeycloak
class NameRulesIT {

    KeycloakServer keycloak;
    KeygateApi api;
    String token;

    @BeforeEach
    void setUp() {
        api = new KeygateApi(keycloak);
        token = keycloak.userToken("alice@example.com");
    }

    @ParameterizedTest(name = "{0}: ''{1}'' is accepted")
    @CsvSource(delimiter = '|', value = {
            "starts with a lowercase letter | w{r}",
            "2 characters is long enough    | {2}",
            "63 characters is short enough  | {63}",
            "lowercase letters and digits   | ws{r}0",
            "'-' '@' '.' '+' '_' are allowed | a-b@c.d+e_{r}",
            "single hyphens are fine         | ml-team-{r}",
            "may end with a digit            | team-{r}-1",
    })
    void validNamesAreAccepted(String rule, String template) {
        String name = name(template);
        Http.Response response = api.post("/workspaces", token, Map.of("name", name));
        System.out.printf("[names] %-34s %-66s -> %d%n", rule, name, response.status());
        assertEquals(201, response.status(), rule + ": " + response);
        assertEquals(name, response.json().get("name").asText());
        KeygateApi.expect(204, api.delete("/workspaces/" + name, token));
    }

    @ParameterizedTest(name = "{0}: ''{1}'' is refused")
    @CsvSource(delimiter = '|', value = {
            "must start with a letter (digit)    | 1w{r}         | start with a lowercase letter",
            "must start with a letter (hyphen)   | -w{r}         | start with a lowercase letter",
            "must start with a lowercase letter  | W{r}          | start with a lowercase letter",
            "at least 2 characters               | a             | 2-63 characters",
            "at most 63 characters               | {64}          | 2-63 characters",
            "no uppercase inside                 | wOrk{r}       | may contain only",
            "no space                            | w {r}         | may contain only",
            "no slash                            | w/x{r}        | may contain only",
            "no other punctuation                | w!{r}         | may contain only",
            "no consecutive hyphens              | ml--team{r}   | consecutive hyphens",
            "no trailing hyphen                  | ml-team{r}-   | end with a hyphen",
    })
    void invalidNamesAreRefusedWith422(String rule, String template, String expectedReason) {
        String name = name(template);
        Http.Response response = api.post("/workspaces", token, Map.of("name", name));
        System.out.printf("[names] %-36s %-66s -> %d %s%n", rule, name, response.status(), response.body());
        assertEquals(422, response.status(), rule + ": " + response);
        assertTrue(response.json().get("detail").asText().contains(expectedReason), response.body());
    }

    @Test
    void namesAreUniqueAndCannotChange() {
        String name = KeycloakServer.unique("unique");
        api.createWorkspace(token, name);

        Http.Response duplicate = api.post("/workspaces", keycloak.userToken("bob@example.com"), Map.of("name", name));
        Http.Response rename = api.put("/workspaces/" + name, token, Map.of("name", name + "-new", "description", "x"));
        System.out.println("[names] duplicate -> " + duplicate + "; rename -> " + rename);

        assertEquals(409, duplicate.status(), duplicate.toString());
        assertEquals(422, rename.status(), rename.toString());
        KeygateApi.expect(200, api.get("/workspaces/" + name, token));
        KeygateApi.expect(404, api.get("/workspaces/" + name + "-new", token));
    }

    /** Fills a template: {r} is a random run id, {n} is a name of exactly n characters. */
    private static String name(String template) {
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        if (template.matches("\\{\\d+}")) {
            int length = Integer.parseInt(template.substring(1, template.length() - 1));
            StringBuilder name = new StringBuilder("n").append(random);
            while (name.length() < length) {
                name.append('x');
            }
            return name.substring(0, length);
        }
        return template.replace("{r}", random);
    }
}
