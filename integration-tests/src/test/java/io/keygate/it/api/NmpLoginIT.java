package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NeMo Platform's CLI login against the real Keycloak, sending exactly what {@code nmp auth login}
 * sends: it reads {@code /apis/auth/discovery} without a token, then runs the device flow (or the
 * password grant) with the client and scopes discovery names, uses the token on the gateway, and
 * refreshes it. The device flow's user step goes through Keycloak's own verification and login
 * pages with form posts, as a browser would.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NmpLoginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    private final Http http = new Http();

    @BeforeAll
    void start() {
        gateway = new GatewayUnderTest(keycloak);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private JsonNode oidc() {
        Http.Response discovery = expect(200, gateway.get("/apis/auth/discovery", null));
        JsonNode body = discovery.json();
        assertTrue(body.get("auth_enabled").asBoolean(), discovery.toString());
        return body.get("oidc");
    }

    @Test
    void discoveryNamesTheRealmsOwnEndpointsWithoutAToken() throws IOException {
        JsonNode oidc = oidc();
        JsonNode realm = JSON.readTree(http.get(keycloak.issuer() + "/.well-known/openid-configuration", null).body());
        assertEquals(keycloak.issuer(), oidc.get("issuer").asText());
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "device_authorization_endpoint", "userinfo_endpoint")) {
            assertEquals(realm.get(endpoint).asText(), oidc.get(endpoint).asText(), endpoint);
        }
        assertEquals("nmp-cli", oidc.get("client_id").asText());
        assertEquals("openid profile email", oidc.get("default_scopes").asText());
        assertTrue(oidc.get("scope_prefix").isNull());
    }

    @Test
    void passwordGrantWithTheDiscoveredClientGivesATokenTheGatewayAcceptsAndRefreshWorks() {
        JsonNode oidc = oidc();
        JsonNode tokens = tokenRequest(oidc, Map.of("grant_type", "password", "client_id", oidc.get("client_id").asText(),
                "username", "alice@example.com", "password", KeycloakServer.DEV_PASSWORD,
                "scope", oidc.get("default_scopes").asText()));
        expect(200, gateway.get(WORKSPACES, tokens.get("access_token").asText()));

        JsonNode refreshed = refresh(oidc, tokens);
        assertNotEquals(tokens.get("access_token").asText(), refreshed.get("access_token").asText());
        expect(200, gateway.get(WORKSPACES, refreshed.get("access_token").asText()));
    }

    @Test
    void nemoPlatformsOwnDefaultScopesWithOfflineAccessAreAccepted() {
        JsonNode oidc = oidc();
        JsonNode tokens = tokenRequest(oidc, Map.of("grant_type", "password", "client_id", oidc.get("client_id").asText(),
                "username", "bob@example.com", "password", KeycloakServer.DEV_PASSWORD,
                "scope", "openid profile email offline_access platform:read"));
        String access = tokens.get("access_token").asText();
        assertTrue(claims(access).get("scope").asText().contains("platform:read"), claims(access).toString());
        expect(200, gateway.get(WORKSPACES, access));
        expect(200, gateway.get(WORKSPACES, refresh(oidc, tokens).get("access_token").asText()));
    }

    @Test
    void deviceFlowApprovedOnKeycloaksOwnPagesGivesATokenTheGatewayAccepts() throws Exception {
        JsonNode oidc = oidc();
        String clientId = oidc.get("client_id").asText();
        String scope = oidc.get("default_scopes").asText();
        Http.Response started = http.postForm(oidc.get("device_authorization_endpoint").asText(),
                Map.of("client_id", clientId, "scope", scope));
        assertEquals(200, started.status(), started.toString());
        JsonNode device = started.json();
        String deviceCode = device.get("device_code").asText();

        Map<String, String> pending = new LinkedHashMap<>(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", clientId, "device_code", deviceCode, "scope", scope));
        Http.Response early = http.postForm(oidc.get("token_endpoint").asText(), pending);
        assertEquals("authorization_pending", early.json().path("error").asText(), early.toString());

        new Browser().approve(device.get("verification_uri_complete").asText(), "charlie@example.com", KeycloakServer.DEV_PASSWORD);

        JsonNode tokens = pollForToken(oidc.get("token_endpoint").asText(), pending, device.get("interval").asInt(5));
        String access = tokens.get("access_token").asText();
        assertEquals("charlie@example.com", claims(access).get("email").asText());
        expect(200, gateway.get(WORKSPACES, access));
        expect(200, gateway.get(WORKSPACES, refresh(oidc, tokens).get("access_token").asText()));
    }

    @Test
    void memberCreateWithoutRolesGrantsEditorAsNemoPlatformsSchemaDefaults() {
        String owner = keycloak.newUser("nmp-owner");
        String member = keycloak.newUser("nmp-member");
        String token = keycloak.userToken(owner);
        String ws = KeycloakServer.unique("nmp-default-role");
        expect(201, gateway.post(WORKSPACES, token, Map.of("name", ws)));

        Http.Response added = expect(201, gateway.post(WORKSPACES + "/" + ws + "/members?wait_role_propagation=false", token,
                Map.of("principal", member)));
        assertEquals("[\"Editor\"]", added.json().get("roles").toString(), added.toString());
        Http.Response pending = expect(201, gateway.post(WORKSPACES + "/" + ws + "/members", token,
                Map.of("principal", KeycloakServer.unique("not-yet") + "@example.com")));
        assertEquals("[\"Editor\"]", pending.json().get("roles").toString(), pending.toString());
        expect(422, gateway.post(WORKSPACES + "/" + ws + "/members", token, Map.of("principal", member, "roles", List.of())));
        expect(422, gateway.put(WORKSPACES + "/" + ws + "/members/" + member, token, Map.of()));
    }

    private JsonNode tokenRequest(JsonNode oidc, Map<String, String> form) {
        Http.Response response = http.postForm(oidc.get("token_endpoint").asText(), form);
        assertEquals(200, response.status(), response.toString());
        assertFalse(response.json().path("refresh_token").asText().isEmpty(), "a refresh token: " + response);
        return response.json();
    }

    /** What {@code nmp auth refresh} sends: the refresh token with the client id and the token's scopes. */
    private JsonNode refresh(JsonNode oidc, JsonNode tokens) {
        return tokenRequest(oidc, Map.of("grant_type", "refresh_token", "client_id", oidc.get("client_id").asText(),
                "refresh_token", tokens.get("refresh_token").asText(), "scope", tokens.get("scope").asText()));
    }

    private JsonNode pollForToken(String tokenEndpoint, Map<String, String> form, int intervalSeconds) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Http.Response response = http.postForm(tokenEndpoint, form);
            if (response.status() == 200) {
                return response.json();
            }
            String error = response.json().path("error").asText();
            assertTrue(error.equals("authorization_pending") || error.equals("slow_down"), response.toString());
            Thread.sleep(Duration.ofSeconds(Math.max(1, intervalSeconds)).toMillis());
        }
        throw new AssertionError("the device grant was not approved within 60 s");
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A cookie-keeping client that fills in Keycloak's HTML forms the way a person in a browser
     * would. It keeps every cookie Keycloak sets and sends them all back (as a browser on
     * localhost does), and follows redirects itself so the cookies of each hop count.
     */
    private static final class Browser {

        private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
        private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        void approve(String verificationUri, String username, String password) throws IOException, InterruptedException {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(verificationUri)).GET());
            List<String> seen = new ArrayList<>();
            for (int step = 0; step < 6; step++) {
                String html = page.body();
                String lower = html.toLowerCase(java.util.Locale.ROOT);
                seen.add(page.uri() + " -> " + page.statusCode());
                if (html.contains("name=\"password\"")) {
                    page = submit(page, Map.of("username", username, "password", password, "credentialId", ""));
                } else if (html.contains("name=\"username\"")) {
                    // Organizations on: Keycloak asks for the username first (identity-first login).
                    page = submit(page, Map.of("username", username));
                } else if (html.contains("name=\"accept\"")) {
                    page = submit(page, Map.of("accept", "Yes"));
                } else if (page.statusCode() == 200 && lower.contains("device login successful")) {
                    return;
                } else {
                    throw new AssertionError("unexpected Keycloak page after " + seen + ":\n" + html);
                }
            }
            throw new AssertionError("device approval did not finish: " + seen);
        }

        private HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> fields) throws IOException, InterruptedException {
            Matcher form = FORM.matcher(page.body());
            if (!form.find()) {
                throw new AssertionError("no form on " + page.uri() + ":\n" + page.body());
            }
            URI action = page.uri().resolve(form.group(1).replace("&amp;", "&"));
            StringBuilder body = new StringBuilder();
            fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&").append(Http.enc(name)).append('=').append(Http.enc(value)));
            return send(HttpRequest.newBuilder(action).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            for (int hop = 0; hop < 10; hop++) {
                if (!cookies.isEmpty()) {
                    request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).toList()));
                }
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                for (String setCookie : response.headers().allValues("Set-Cookie")) {
                    String pair = setCookie.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                    }
                }
                var location = response.headers().firstValue("Location");
                if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                    return response;
                }
                request = HttpRequest.newBuilder(response.uri().resolve(location.get())).GET();
            }
            throw new AssertionError("too many redirects");
        }
    }
}
