package io.keygate.it.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.it.support.HostileValues;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RawHttp;
import io.keygate.it.support.RealKeycloak;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A bounded, seeded fuzzer of the public API against the real Keycloak and the real gateway, and of
 * the extension's own REST API: hostile strings and wrong JSON types in every body field of the
 * workspace, member and project routes, broken bodies, hostile path segments and query values,
 * valid and invalid tokens. Every answer must be below 500, and every error must be
 * {@code {"detail": "..."}} with {@code Content-Type: application/json}.
 *
 * <p>One exception, on the extension's side only: Keycloak's own HTTP layer refuses some request
 * targets before any extension code runs (a path that is not normalised such as {@code %2e},
 * {@code ;} in a segment, bad percent-encoding, {@code %00} in a query value), with 400 in its own
 * shape. The extension cannot answer those, so a 400 without {@code detail} is accepted there, and
 * counted, only when the hostile part was the path or the query; a hostile body, field or token
 * always reaches the extension's resource and must get its {@code {"detail"}}.
 *
 * <p>Reproduce a run with {@code -Dkeygate.fuzz.seed=<seed>} (printed at the start); size it with
 * {@code -Dkeygate.fuzz.requests} (default 700). To cover a new route, add a row to {@link #routes}.
 */
@RealKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
    private static final int MAX_REPORTED = 25;

    KeycloakServer keycloak;
    GatewayUnderTest gateway;
    HostileValues values;
    long seed;
    String workspace;
    String ownerEmail;
    String memberEmail;
    Map<String, String> tokens;

    /**
     * One row per route: which server, method, path template, the body's fields with a valid value
     * each (empty: no body), the query parameters it reads, and the token it is normally called with
     * (a {@link #tokens} key). Placeholders: {workspace}, {name}, {principal}.
     */
    record Route(Door door, String method, String path, Map<String, Supplier<JsonNode>> fields, List<String> query, String caller) {
        Route(Door door, String method, String path, Map<String, Supplier<JsonNode>> fields, List<String> query) {
            this(door, method, path, fields, query, "owner");
        }
    }

    enum Door { GATEWAY, EXTENSION }

    private List<Route> routes() {
        String ws = "/apis/entities/v2/workspaces";
        String ext = "/workspaces";
        List<String> page = List.of("page", "page_size", "sort");
        Map<String, Supplier<JsonNode>> createWorkspace = Map.of(
                "name", () -> text(KeycloakServer.unique("fz")), "description", () -> text("fuzzed"));
        Map<String, Supplier<JsonNode>> updateWorkspace = Map.of("description", () -> text("updated"));
        Map<String, Supplier<JsonNode>> addMember = Map.of(
                "principal", () -> text(memberEmail), "roles", () -> JSON.createArrayNode().add("Viewer"));
        Map<String, Supplier<JsonNode>> replaceMember = Map.of("roles", () -> JSON.createArrayNode().add("Editor"));
        Map<String, Supplier<JsonNode>> project = Map.of(
                "name", () -> text("p-" + values.random().nextInt(50)), "description", () -> text("a project"),
                "custom", () -> JSON.createObjectNode().put("k", 1));
        List<Route> routes = new ArrayList<>();
        for (Door door : Door.values()) {
            String base = door == Door.GATEWAY ? ws : ext;
            routes.add(new Route(door, "GET", base, Map.of(), page));
            routes.add(new Route(door, "POST", base, createWorkspace, List.of()));
            routes.add(new Route(door, "GET", base + "/{workspace}", Map.of(), List.of()));
            routes.add(new Route(door, "PUT", base + "/{workspace}", updateWorkspace, List.of()));
            routes.add(new Route(door, "GET", base + "/{workspace}/members", Map.of(), page));
            routes.add(new Route(door, "POST", base + "/{workspace}/members", addMember, List.of()));
            routes.add(new Route(door, "PUT", base + "/{workspace}/members/{principal}", replaceMember, List.of()));
            routes.add(new Route(door, "DELETE", base + "/{workspace}/members/{principal}", Map.of(), List.of()));
        }
        routes.add(new Route(Door.GATEWAY, "DELETE", ws + "/{name}", Map.of(), List.of("cascade")));
        routes.add(new Route(Door.GATEWAY, "GET", ws + "/{workspace}/projects", Map.of(), page));
        routes.add(new Route(Door.GATEWAY, "POST", ws + "/{workspace}/projects", project, List.of()));
        routes.add(new Route(Door.GATEWAY, "GET", ws + "/{workspace}/projects/{name}", Map.of(), List.of()));
        routes.add(new Route(Door.GATEWAY, "PUT", ws + "/{workspace}/projects/{name}", project, List.of()));
        routes.add(new Route(Door.GATEWAY, "PATCH", ws + "/{workspace}/projects/{name}", project, List.of()));
        routes.add(new Route(Door.GATEWAY, "DELETE", ws + "/{workspace}/projects/{name}", Map.of(), List.of()));
        routes.add(new Route(Door.GATEWAY, "PATCH", ws + "/{workspace}", updateWorkspace, List.of()));
        routes.add(new Route(Door.EXTENSION, "PATCH", ext + "/{workspace}", updateWorkspace, List.of()));
        routes.add(new Route(Door.EXTENSION, "GET", "/no-such-route/{name}", Map.of(), List.of()));
        routes.add(new Route(Door.EXTENSION, "GET", "/me/workspaces", Map.of(), List.of()));
        routes.add(new Route(Door.EXTENSION, "GET", "/principals/{principal}/workspaces", Map.of(), List.of()));
        // NeMo Platform's IAM role bindings (PlatformAdmin), called as one so that the parsing behind the check is reached
        List<String> bindingQuery = List.of("page", "page_size", "sort", "filter[principal]", "filter[role][$in]", "filter[is_active]",
                "filter[granted_at][gte]", "wait_role_propagation");
        Map<String, Supplier<JsonNode>> binding = Map.of("principal", () -> text(memberEmail), "role", () -> text("Viewer"),
                "workspace", () -> text(workspace));
        for (Door door : Door.values()) {
            String base = door == Door.GATEWAY ? "/apis/auth/v2/iam/role-bindings" : "/role-bindings";
            routes.add(new Route(door, "GET", base, Map.of(), bindingQuery, "platform-admin"));
            routes.add(new Route(door, "POST", base, binding, List.of("wait_role_propagation"), "platform-admin"));
            routes.add(new Route(door, "GET", base + "/{name}", Map.of(), List.of(), "platform-admin"));
            routes.add(new Route(door, "DELETE", base + "/{name}", Map.of(), List.of("wait_role_propagation"), "platform-admin"));
        }
        return routes;
    }

    @BeforeAll
    void start() {
        seed = Long.getLong("keygate.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("[keygate-it] fuzz seed " + seed + " (rerun with -Dkeygate.fuzz.seed=" + seed + ")");
        values = new HostileValues(seed);
        gateway = new GatewayUnderTest(keycloak);
        ownerEmail = keycloak.newUser("fuzz-owner");
        memberEmail = keycloak.newUser("fuzz-member");
        String owner = keycloak.userToken(ownerEmail);
        workspace = KeycloakServer.unique("fuzz");
        Http.expect(201, gateway.post("/apis/entities/v2/workspaces", owner, Map.of("name", workspace)));
        Http.expect(201, gateway.post("/apis/entities/v2/workspaces/" + workspace + "/members", owner,
                Map.of("principal", memberEmail, "roles", List.of("Viewer"))));
        Http.expect(201, gateway.post("/apis/entities/v2/workspaces/" + workspace + "/projects", owner, Map.of("name", "p-0")));
        String outsider = keycloak.userToken(keycloak.newUser("fuzz-outsider"));
        tokens = new java.util.LinkedHashMap<>();
        tokens.put("owner", keycloak.userToken(ownerEmail)); // minted now, its claims name the workspace
        tokens.put("outsider", outsider);
        tokens.put("platform-admin", keycloak.gatewayToken());
        tokens.put("garbage", "garbage");
        tokens.put("alg-none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        tokens.put("bad-signature", owner.substring(0, owner.length() - 4) + (owner.endsWith("AAAA") ? "BBBB" : "AAAA"));
        tokens.put("other-issuer", keycloak.adminToken());
        tokens.put("oversized", "a".repeat(20_000));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void noHostileRequestGetsA5xxAndEveryErrorIsJsonDetail() {
        int requests = Integer.getInteger("keygate.fuzz.requests", 700);
        List<Route> routes = routes();
        RawHttp toGateway = new RawHttp("127.0.0.1", gateway.app.port());
        URI keycloakUri = URI.create(keycloak.keygateApi());
        RawHttp toKeycloak = new RawHttp(keycloakUri.getHost(), keycloakUri.getPort());
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> perDoor = new TreeMap<>();
        int refusedByKeycloak = 0;
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            Route route = values.pick(routes);
            Fuzzed request = fuzz(route);
            String target = (route.door() == Door.GATEWAY ? "" : keycloakUri.getPath()) + request.target();
            RawHttp.Reply reply;
            try {
                // Keycloak checks a token's issuer against the Host the request names
                String host = route.door() == Door.GATEWAY ? "127.0.0.1" : keycloakUri.getAuthority();
                reply = (route.door() == Door.GATEWAY ? toGateway : toKeycloak).send(head(route.method(), target, host, request.token()),
                        request.body());
            } catch (RuntimeException e) {
                violations.add("#" + i + " " + route.door() + " " + route.method() + " " + shorten(target) + " [" + request.what() + "]: no answer: " + e);
                continue;
            }
            statuses.merge(reply.status(), 1, Integer::sum);
            perDoor.merge(route.door().name(), 1, Integer::sum);
            if (route.door() == Door.EXTENSION && !request.reachesResource() && reply.status() == 400 && problem(reply).isPresent()) {
                refusedByKeycloak++;
                continue;
            }
            int index = i;
            problem(reply).ifPresent(problem -> violations.add("#" + index + " " + route.door() + " " + route.method() + " " + shorten(target)
                    + " [" + request.what() + "] -> " + reply.status() + " " + reply.contentType() + " " + shorten(reply.body()) + ": " + problem));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        System.out.println("[keygate-it] fuzz seed " + seed + ": " + requests + " requests " + perDoor + " in " + millis + " ms, "
                + statuses.size() + " distinct statuses " + statuses + ", 5xx: " + fiveXx + ", refused by Keycloak's HTTP layer before the "
                + "extension: " + refusedByKeycloak + ", violations: " + violations.size());
        violations.stream().limit(MAX_REPORTED).forEach(v -> System.out.println("[keygate-it] fuzz violation " + v));
        assertTrue(violations.isEmpty(), violations.size() + " violations (seed " + seed + "), first: "
                + violations.subList(0, Math.min(MAX_REPORTED, violations.size())));
    }

    /** Under /keygate the extension, not Keycloak, answers a path or a method no route serves. */
    @Test
    void unknownPathsAndMethodsOnTheExtensionAre404And405WithDetail() {
        Http http = new Http();
        String base = keycloak.keygateApi();
        String owner = tokens.get("owner");
        Http.Response unknownPath = http.get(base + "/no-such-route", owner);
        Http.Response wrongMethod = http.send(Http.request(base + "/workspaces/" + workspace, owner)
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        Http.Response wrongMethodDeeper = http.get(base + "/workspaces/" + workspace + "/members/" + memberEmail, owner);
        System.out.println("[keygate-it] extension unknown path -> " + unknownPath + "; PATCH workspace -> " + wrongMethod
                + "; GET member -> " + wrongMethodDeeper);
        for (var expected : Map.of(unknownPath, 404, wrongMethod, 405, wrongMethodDeeper, 405).entrySet()) {
            assertEquals(expected.getValue(), expected.getKey().status(), expected.getKey().toString());
            assertTrue(expected.getKey().header("Content-Type").startsWith("application/json"), expected.getKey().toString());
            assertTrue(expected.getKey().json().path("detail").isTextual(), expected.getKey().toString());
        }
        assertEquals(200, http.get(base + "/workspaces/" + workspace, owner).status(), "the real routes still win");
        assertEquals(200, http.get(base + "/workspaces/" + workspace + "/members", owner).status());
    }

    /** A request for {@code route} with one thing made hostile: a field, the whole body, a path segment, a query value or the token. */
    private Fuzzed fuzz(Route route) {
        Map<String, String> segments = new java.util.HashMap<>(Map.of(
                "workspace", workspace, "name", values.chance(50) ? "p-0" : "p-" + values.random().nextInt(50), "principal", memberEmail));
        ObjectNode body = JSON.createObjectNode();
        route.fields().forEach((field, valid) -> body.set(field, valid.get()));
        String token = tokens.get(route.caller());
        String what;
        String rawBody = null;
        boolean hostileTarget = false;
        int kind = values.random().nextInt(route.fields().isEmpty() ? 3 : 5);
        switch (kind) {
            case 0 -> {
                String[] names = PLACEHOLDER.matcher(route.path()).results().map(m -> m.group(1)).toArray(String[]::new);
                if (names.length == 0) {
                    what = "nothing hostile";
                } else {
                    String name = names[values.random().nextInt(names.length)];
                    segments.put(name, values.pick(HostileValues.SEGMENTS));
                    hostileTarget = true;
                    what = "segment " + name + "=" + shorten(segments.get(name));
                }
            }
            case 1 -> {
                String name = values.pick(tokens.keySet().stream().toList());
                token = values.chance(10) ? null : tokens.get(name);
                what = "token " + (token == null ? "none" : name);
            }
            case 2 -> {
                hostileTarget = true;
                what = "query " + hostileQuery(route, segments);
            }
            case 3 -> {
                String field = values.pick(route.fields().keySet().stream().sorted().toList());
                JsonNode hostile = values.hostileField();
                if (values.chance(15)) {
                    body.remove(field);
                    what = "field " + field + " missing";
                } else {
                    body.set(field, hostile);
                    what = "field " + field + "=" + shorten(hostile.toString());
                }
            }
            default -> {
                rawBody = values.pick(HostileValues.BROKEN_BODIES);
                what = "body " + shorten(rawBody);
            }
        }
        String path = fill(route.path(), segments);
        String query = segments.getOrDefault("?", "");
        byte[] bytes = rawBody != null ? rawBody.getBytes(StandardCharsets.UTF_8)
                : route.fields().isEmpty() ? new byte[0] : HostileValues.escapedJson(JSON, body).getBytes(StandardCharsets.UTF_8);
        if (rawBody == null && kind == 4 && values.chance(50)) {
            bytes = "{\"description\":\"\u00C3(\"}".getBytes(StandardCharsets.ISO_8859_1);
            what = "body with invalid UTF-8";
        }
        return new Fuzzed(path + query, token, bytes, what, !hostileTarget);
    }

    /** @param reachesResource the path and query are valid, so the request reaches the route's handler */
    private record Fuzzed(String target, String token, byte[] body, String what, boolean reachesResource) {
    }

    private String hostileQuery(Route route, Map<String, String> segments) {
        List<String> keys = route.query().isEmpty() ? List.of("page", "x") : route.query();
        String key = values.pick(keys);
        String query = "?" + key + "=" + values.pick(HostileValues.QUERY_VALUES);
        if (values.chance(20)) {
            query += "&" + key + "=" + values.pick(HostileValues.QUERY_VALUES);
        }
        segments.put("?", query);
        return shorten(query);
    }

    private static String fill(String template, Map<String, String> segments) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(path, Matcher.quoteReplacement(segments.get(matcher.group(1))));
        }
        return matcher.appendTail(path).toString();
    }

    private static String head(String method, String target, String host, String token) {
        return method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nAccept: application/json"
                + "\r\nContent-Type: application/json" + (token == null ? "" : "\r\nAuthorization: Bearer " + token);
    }

    /** What is wrong with an answer, if anything. */
    private static java.util.Optional<String> problem(RawHttp.Reply reply) {
        if (reply.status() >= 500) {
            return java.util.Optional.of("server error");
        }
        if (reply.status() < 400) {
            return java.util.Optional.empty();
        }
        if (!reply.contentType().startsWith("application/json")) {
            return java.util.Optional.of("error is not application/json");
        }
        try {
            JsonNode body = JSON.readTree(reply.body());
            if (body == null || !body.path("detail").isTextual() || body.path("detail").asText().isBlank()) {
                return java.util.Optional.of("error has no {\"detail\"}");
            }
        } catch (java.io.IOException e) {
            return java.util.Optional.of("error body is not JSON");
        }
        return java.util.Optional.empty();
    }

    private static JsonNode text(String value) {
        return JSON.getNodeFactory().textNode(value);
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "...(" + oneLine.length() + ")" : oneLine;
    }
}
