package io.keygate.it.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.it.support.HeadlessChromium;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 in a real browser: a workspace Admin signs in to the realm's admin console (identity-first
 * login: username page, then password), opens their workspace's Editor group, adds a member with the
 * console's own "Add member" dialog, and sees no other workspace. Headless Chromium from the
 * distribution's packages ({@code .ci/run} installs it); skipped, with the reason printed, where absent.
 * A failure leaves a screenshot in {@code target/}.
 */
@RealKeycloak
class WorkspaceConsoleBrowserIT {

    /** A failure bound for each page to settle on the shared machine, not a speed check. */
    private static final Duration PAGE = Duration.ofSeconds(90);

    KeycloakServer keycloak;

    @Test
    void workspaceAdminAddsAMemberInTheAdminConsole() {
        Optional<Path> chromium = HeadlessChromium.binary();
        if (chromium.isEmpty()) {
            System.out.println("[keygate-it] SKIPPED WorkspaceConsoleBrowserIT: no /usr/bin/chromium (apt-get install -y chromium)");
        }
        Assumptions.assumeTrue(chromium.isPresent(), "Chromium is not installed (apt-get install -y chromium)");

        KeygateApi api = new KeygateApi(keycloak);
        String master = keycloak.adminToken();
        String owner = keycloak.newUser("browser-owner");
        String workspace = KeycloakServer.unique("browser");
        api.createWorkspace(keycloak.userToken(owner), workspace);
        String stranger = keycloak.newUser("browser-stranger");
        String other = KeycloakServer.unique("browser-other");
        api.createWorkspace(keycloak.userToken(stranger), other);
        String otherMember = keycloak.newUser("browser-othermember");
        api.addMember(keycloak.userToken(stranger), other, otherMember, "Editor");
        String newcomer = keycloak.newUser("browser-newcomer");

        String root = api.groupId(master, "/workspaces");
        String ws = api.groupId(master, "/workspaces/" + workspace);
        String editor = api.groupId(master, "/workspaces/" + workspace + "/Editor");
        String otherEditor = api.groupId(master, "/workspaces/" + other + "/Editor");
        String console = keycloak.baseUrl() + "/admin/" + keycloak.realm() + "/console/";

        Instant started = Instant.now();
        try (HeadlessChromium browser = HeadlessChromium.start(chromium.get())) {
            try {
                signIn(browser, console, owner);
                System.out.printf("[keygate-it] console-browser signed in after %d ms%n", Duration.between(started, Instant.now()).toMillis());

                browser.navigate(console + "#/" + keycloak.realm() + "/groups/" + root);
                browser.await("the workspaces group's children", PAGE, () -> browser.text().contains(workspace));
                String tree = browser.text();
                assertFalse(tree.contains(other), "another workspace is not listed:\n" + tree);

                browser.navigate(console + "#/" + keycloak.realm() + "/groups/" + root + "/" + ws + "/" + editor);
                browser.await("the Editor group's page", PAGE, () -> browser.text().contains("Members"));
                browser.clickText("Members");
                browser.await("the Add member button", PAGE, () -> browser.text().contains("Add member"));
                browser.clickText("Add member");
                browser.await("the Add member dialog", PAGE, () -> browser.visible("[role=dialog] input[type=search], [role=dialog] input"));
                browser.type("[role=dialog] input", newcomer);
                browser.pressEnter();
                browser.await("the newcomer in the dialog", PAGE, () -> dialogText(browser).contains(newcomer));
                browser.eval("(() => { const row = [...document.querySelectorAll('[role=dialog] tr')].find(r => r.innerText.includes("
                        + HeadlessChromium.quote(newcomer) + ")); row.querySelector('input[type=checkbox]').click(); })()");
                browser.click("[role=dialog] footer button.pf-m-primary, [role=dialog] button[data-testid=add]");
                browser.await("the newcomer among the Editor members", PAGE,
                        () -> !browser.visible("[role=dialog]") && browser.text().contains(newcomer));
                System.out.printf("[keygate-it] console-browser added %s to %s/Editor after %d ms%n",
                        newcomer, workspace, Duration.between(started, Instant.now()).toMillis());

                JsonNode members = Http.expect(200, api.http.get(keycloak.adminApi() + "/groups/" + editor + "/members", keycloak.adminToken())).json();
                List<String> names = new ArrayList<>();
                members.forEach(member -> names.add(member.get("username").asText()));
                assertTrue(names.contains(newcomer), "Keycloak holds the membership the console made: " + names);
                JsonNode rows = Http.expect(200, api.get("/workspaces/" + workspace + "/members", keycloak.userToken(owner))).json().get("data");
                rows.forEach(row -> {
                    if (newcomer.equals(row.get("principal").asText())) {
                        assertEquals(owner, row.get("granted_by").asText(), "grant metadata names the workspace Admin");
                    }
                });

                browser.navigate(console + "#/" + keycloak.realm() + "/groups/" + root + "/" + api.groupId(keycloak.adminToken(), "/workspaces/" + other) + "/" + otherEditor);
                String foreign = settled(browser);
                System.out.println("[keygate-it] console-browser other workspace's Editor page shows: "
                        + foreign.replaceAll("\\s+", " ").substring(0, Math.min(200, foreign.replaceAll("\\s+", " ").length())));
                assertFalse(foreign.contains(otherMember), "another workspace's members are not shown:\n" + foreign);
            } catch (AssertionError | RuntimeException failure) {
                browser.screenshot(Path.of("target", "console-browser-failure.png"));
                System.out.println("[keygate-it] console-browser page text at failure:\n" + safeText(browser));
                throw failure;
            }
        }
    }

    private static void signIn(HeadlessChromium browser, String console, String username) {
        browser.navigate(console);
        browser.await("the username page", PAGE, () -> browser.visible("#username"));
        browser.type("#username", username);
        if (browser.visible("#password")) {
            browser.type("#password", KeycloakServer.DEV_PASSWORD);
        }
        browser.click("#kc-login");
        browser.await("the password page or the console", PAGE, () -> browser.visible("#password") || browser.url().contains("/console/#"));
        if (browser.visible("#password")) {
            browser.type("#password", KeycloakServer.DEV_PASSWORD);
            browser.click("#kc-login");
        }
        browser.await("the admin console", PAGE, () -> browser.url().contains("/console/") && !browser.visible("#kc-login")
                && browser.text().length() > 50);
    }

    private static String dialogText(HeadlessChromium browser) {
        return browser.eval("(() => { const d = document.querySelector('[role=dialog]'); return d ? d.innerText : ''; })()").asText();
    }

    private static String safeText(HeadlessChromium browser) {
        try {
            return browser.text();
        } catch (RuntimeException e) {
            return "(no page text: " + e + ")";
        }
    }

    /**
     * The page text once the single-page app has settled: polled until it stayed the same over five
     * consecutive polls, for a page whose refusal shows as an absence rather than as a known text.
     */
    private static String settled(HeadlessChromium browser) {
        String[] last = {""};
        int[] same = {0};
        browser.await("the page to settle", PAGE, () -> {
            String now = browser.text();
            same[0] = now.equals(last[0]) && !now.isBlank() ? same[0] + 1 : 0;
            last[0] = now;
            return same[0] >= 5;
        });
        return last[0];
    }
}
