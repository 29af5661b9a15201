package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A pending grant becomes a membership when the person self-registers through Keycloak's registration page. */
@RealKeycloak
class RegistrationIT {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-register-form\"[^>]*action=\"([^\"]+)\"");

    KeycloakServer keycloak;

    @Test
    void selfRegistrationResolvesThePendingGrant() throws Exception {
        KeygateApi api = new KeygateApi(keycloak);
        String ownerToken = keycloak.userToken(api.newUser("inviter"));
        String workspace = KeycloakServer.unique("invite");
        api.createWorkspace(ownerToken, workspace);
        String email = KeycloakServer.unique("signup") + "@example.com";
        assertTrue(api.addMember(ownerToken, workspace, email, "Editor").path("pending").asBoolean());

        HttpResponse<String> registered = register(email);
        System.out.println("[register] registration form answered " + registered.statusCode() + " -> "
                + registered.headers().firstValue("Location").orElse("(no redirect)"));
        assertEquals(302, registered.statusCode(), registered.body());
        assertTrue(registered.headers().firstValue("Location").orElseThrow().contains("code="));

        JsonNode member = findMember(api, ownerToken, workspace, email);
        System.out.println("[register] after REGISTER -> " + member);
        assertFalse(member.has("pending"), member.toString());
        assertEquals("Editor", KeygateApi.claims(keycloak.userToken(email)).path("workspaces").path(workspace).asText());
    }

    /** Walks Keycloak's registration page like a browser: GET the form, POST it, stop at the redirect. */
    private HttpResponse<String> register(String email) throws IOException, InterruptedException, NoSuchAlgorithmException {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = "v".repeat(20) + KeycloakServer.unique("pkce").replace("-", "") + "x".repeat(20);
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String start = keycloak.realmUrl() + "/protocol/openid-connect/registrations?client_id=" + KeycloakServer.CLI_CLIENT
                + "&response_type=code&scope=openid&redirect_uri=" + Http.enc("http://localhost/callback")
                + "&code_challenge=" + challenge + "&code_challenge_method=S256";
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(start)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher action = FORM_ACTION.matcher(page.body());
        assertTrue(action.find(), "registration form not found (status " + page.statusCode() + ")");
        Map<String, String> form = Map.of("email", email, "firstName", "New", "lastName", "Person",
                "password", KeycloakServer.DEV_PASSWORD, "password-confirm", KeycloakServer.DEV_PASSWORD);
        StringJoiner body = new StringJoiner("&");
        form.forEach((key, value) -> body.add(Http.enc(key) + "=" + Http.enc(value)));
        // Keycloak marks its login cookies Secure; on plain-http localhost java.net's cookie store would drop them.
        StringJoiner cookies = new StringJoiner("; ");
        page.headers().allValues("Set-Cookie").forEach(cookie -> cookies.add(cookie.substring(0, cookie.indexOf(';'))));
        return browser.send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies.toString())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode findMember(KeygateApi api, String token, String workspace, String principal) {
        List<JsonNode> matches = new java.util.ArrayList<>();
        api.get("/workspaces/" + workspace + "/members", token).json().get("data").forEach(member -> {
            if (principal.equals(member.get("principal").asText())) {
                matches.add(member);
            }
        });
        assertEquals(1, matches.size(), principal + " listed once");
        return matches.get(0);
    }
}
