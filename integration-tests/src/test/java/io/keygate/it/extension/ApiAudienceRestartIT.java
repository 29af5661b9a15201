package io.keygate.it.extension;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.support.AdminRest;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the accepted audience is the extension's provider configuration, read at start-up.
 * A Keycloak of its own (the shared one keeps the defaults): started with realm-config's
 * {@code keycloak.conf} ({@code audiences=keygate-api}), then that line changed to another
 * audience and Keycloak restarted, as an operator would.
 */
class ApiAudienceRestartIT {

    private static final String AUDIENCES_LINE = "spi-realm-restapi-extension--keygate--audiences=";
    private static final String OTHER_AUDIENCE = "other-api";
    private static final String ALICE = "alice@example.com";

    private final Http http = new Http();

    @Test
    void anotherConfiguredAudienceTakesEffectAfterARestart() throws IOException {
        try (KeycloakServer keycloak = KeycloakServer.startFromBuild()) {
            String otherClient = KeycloakServer.unique("other-api-app");
            new AdminRest(keycloak).createClient(Map.of("clientId", otherClient, "publicClient", true,
                    "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                    "protocolMappers", List.of(Map.of("name", "other-api audience", "protocol", "openid-connect",
                            "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.custom.audience", OTHER_AUDIENCE,
                                    "access.token.claim", "true", "id.token.claim", "false")))));

            Http.Response cliBefore = meWorkspaces(keycloak, keycloak.userToken(ALICE));
            Http.Response otherBefore = meWorkspaces(keycloak, tokenFor(keycloak, otherClient));
            System.out.println("[audience-restart] audiences=keygate-api: keygate-cli token -> " + cliBefore.status()
                    + ", " + OTHER_AUDIENCE + " token -> " + otherBefore.status() + " " + otherBefore.header("WWW-Authenticate"));
            expect(200, cliBefore);
            expect(401, otherBefore);
            assertTrue(otherBefore.header("WWW-Authenticate").contains("is not keygate-api"), otherBefore.headers().toString());

            configureAudience(keycloak, OTHER_AUDIENCE);
            Instant restart = Instant.now();
            keycloak.restart();
            System.out.println("[audience-restart] restarted with audiences=" + OTHER_AUDIENCE + " in "
                    + Duration.between(restart, Instant.now()).toSeconds() + " s; log: " + startupLine(keycloak));
            assertTrue(startupLine(keycloak).contains("audience [" + OTHER_AUDIENCE + "]"), startupLine(keycloak));

            Http.Response cliAfter = meWorkspaces(keycloak, keycloak.userToken(ALICE));
            String otherToken = tokenFor(keycloak, otherClient);
            Http.Response otherAfter = meWorkspaces(keycloak, otherToken);
            Http.Response created = http.post(keycloak.keygateApi() + "/workspaces", otherToken,
                    Map.of("name", KeycloakServer.unique("via-other-api")));
            Http.Response gateway = http.get(keycloak.keygateApi() + "/principals/" + Http.enc(ALICE) + "/workspaces",
                    keycloak.gatewayToken());
            System.out.println("[audience-restart] audiences=" + OTHER_AUDIENCE + ": keygate-cli token -> " + cliAfter.status()
                    + " " + cliAfter.header("WWW-Authenticate") + "; " + OTHER_AUDIENCE + " token -> " + otherAfter.status()
                    + " (create workspace " + created.status() + "); gateway service account (aud keygate-api) -> " + gateway.status());
            expect(401, cliAfter);
            assertTrue(cliAfter.header("WWW-Authenticate").contains("is not " + OTHER_AUDIENCE), cliAfter.headers().toString());
            expect(200, otherAfter);
            expect(201, created);
            expect(200, gateway);
        }
    }

    private static void configureAudience(KeycloakServer keycloak, String audience) throws IOException {
        String conf = Files.readString(keycloak.conf());
        String changed = conf.replaceAll("(?m)^" + AUDIENCES_LINE + ".*$", AUDIENCES_LINE + audience);
        assertNotEquals(conf, changed, "realm-config's keycloak.conf sets the audiences: " + conf);
        Files.writeString(keycloak.conf(), changed);
    }

    /** The last line the extension logged about its accepted tokens. */
    private static String startupLine(KeycloakServer keycloak) throws IOException {
        List<String> lines = Files.readAllLines(keycloak.log()).stream()
                .filter(line -> line.contains("keygate REST API accepts")).toList();
        assertTrue(lines.size() >= 2, "logged at each start: " + lines);
        return lines.get(lines.size() - 1);
    }

    private Http.Response meWorkspaces(KeycloakServer keycloak, String token) {
        return http.get(keycloak.keygateApi() + "/me/workspaces", token);
    }

    private String tokenFor(KeycloakServer keycloak, String clientId) {
        return expect(200, http.postForm(keycloak.tokenEndpoint(), Map.of("grant_type", "password", "client_id", clientId,
                "username", ALICE, "password", KeycloakServer.DEV_PASSWORD))).json().get("access_token").asText();
    }
}
