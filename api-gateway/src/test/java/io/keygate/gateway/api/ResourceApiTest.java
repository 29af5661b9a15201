package io.keygate.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.resources.ResourceKind;
import io.keygate.gateway.store.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every resource kind over real HTTP against an H2 file: NeMo shapes, codes and errors. */
class ResourceApiTest {

    @TempDir
    static Path dir;

    private static LocalGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("db").toString()), "", null, null,
                InferenceConfig.none(), false));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String collection(ResourceKind kind, String workspace) {
        return kind.collectionPath().replace("{workspace}", workspace);
    }

    @Test
    void everyKindSupportsCreateReadUpdateListDelete() {
        for (ResourceKind kind : ResourceKind.values()) {
            String base = collection(kind, "crud-ws");
            LocalGateway.Reply created = gateway.send("POST", base,
                    "{\"name\": \"item-1\", \"description\": \"first\", \"custom\": {\"k\": 1}, \"created_by\": \"forged\"}");
            assertEquals(201, created.status(), kind + ": " + created.body());
            JsonNode item = created.json();
            assertEquals("item-1", item.get("name").asText());
            assertEquals("crud-ws", item.get("workspace").asText());
            assertEquals("first", item.get("description").asText());
            assertEquals(1, item.get("custom").get("k").asInt());
            assertEquals("anonymous", item.get("created_by").asText(), "gateway-owned fields cannot be forged");
            assertTrue(item.get("created_at").asText().endsWith("Z"));
            assertFalse(item.get("id").asText().isEmpty());

            assertEquals(item, gateway.send("GET", base + "/item-1", null).json());

            kind.updateMethods().forEach(method -> {
                LocalGateway.Reply updated = gateway.send(method.name(), base + "/item-1",
                        "{\"description\": \"by " + method.name() + "\"}");
                assertEquals(200, updated.status(), kind + ": " + updated.body());
                assertEquals("by " + method.name(), updated.json().get("description").asText());
                assertEquals(1, updated.json().get("custom").get("k").asInt());
            });

            JsonNode page = gateway.send("GET", base + "?page=1&page_size=10", null).json();
            assertEquals(1, page.get("data").size());
            assertEquals(1, page.get("pagination").get("total_results").asInt());
            assertEquals(1, page.get("pagination").get("current_page_size").asInt());
            assertEquals(1, page.get("pagination").get("total_pages").asInt());
            assertEquals(10, page.get("pagination").get("page_size").asInt());
            assertEquals("-created_at", page.get("sort").asText());

            LocalGateway.Reply deleted = gateway.send("DELETE", base + "/item-1", null);
            assertEquals(200, deleted.status());
            assertEquals(item.get("id").asText(), deleted.json().get("id").asText());
            assertEquals(404, gateway.send("GET", base + "/item-1", null).status());
        }
    }

    @Test
    void badInputIsAClearClientErrorNeverA500() {
        String base = collection(ResourceKind.PROJECT, "bad-input");
        assertDetail(gateway.send("POST", base, "{\"name\": \"Bad_Name\"}"), 422, "invalid name");
        assertDetail(gateway.send("POST", base, "{\"name\": \"a--b\"}"), 422, "consecutive hyphens");
        assertDetail(gateway.send("POST", base, "{\"name\": \"ok-\"}"), 422, "end with a hyphen");
        assertDetail(gateway.send("POST", base, "not json"), 422, "not valid JSON");
        assertDetail(gateway.send("POST", base, "[1]"), 422, "JSON object");
        assertDetail(gateway.send("POST", base, "{}"), 422, "name is required");
        assertDetail(gateway.send("POST", base, "{\"name\": \"pp\", \"description\": 5}"), 422, "description");
        assertDetail(gateway.send("GET", base + "?page=0", null), 422, "page");
        assertDetail(gateway.send("GET", base + "?page_size=1001", null), 422, "page_size");
        assertDetail(gateway.send("GET", base + "?sort=name", null), 422, "sort");
        assertDetail(gateway.send("GET", base + "/missing", null), 404, "not found");
        assertEquals(201, gateway.send("POST", base, "{\"name\": \"twice\"}").status());
        assertDetail(gateway.send("POST", base, "{\"name\": \"twice\"}"), 409, "already exists");
        assertDetail(gateway.send("PUT", base + "/twice", "{\"name\": \"renamed\"}"), 422, "cannot be renamed");
        assertDetail(gateway.send("GET", "/apis/entities/v2/workspaces/Not_Valid/projects", null), 422, "workspace");
    }

    /** 4,000 UTF-16 code units fit (the gateway's column); more is 422 naming the limit and changes nothing. */
    @Test
    void resourceDescriptionsFollowTheSharedRule() {
        String base = collection(ResourceKind.PROJECT, "descriptions");
        String emoji = "\uD83D\uDE00";
        assertEquals(201, gateway.send("POST", base, body("at-limit", "a".repeat(4000))).status());
        assertEquals("é".repeat(4000), gateway.send("PUT", base + "/at-limit", body(null, "é".repeat(4000))).json().get("description").asText());
        assertEquals(emoji.repeat(2000), gateway.send("PUT", base + "/at-limit", body(null, emoji.repeat(2000))).json().get("description").asText());
        for (String tooLong : List.of("a".repeat(4001), "é".repeat(4001), emoji.repeat(2001), "a".repeat(70_000))) {
            assertDetail(gateway.send("POST", base, body("over-limit", tooLong)), 422, "at most 4000");
            assertDetail(gateway.send("PUT", base + "/at-limit", body(null, tooLong)), 422, "at most 4000");
        }
        assertDetail(gateway.send("PUT", base + "/at-limit", body(null, "nul\u0000")), 422, "NUL");
        assertEquals(404, gateway.send("GET", base + "/over-limit", null).status(), "a refused create stores nothing");
        assertEquals(emoji.repeat(2000), gateway.send("GET", base + "/at-limit", null).json().get("description").asText(),
                "a refused update changes nothing");
    }

    private static String body(String name, String description) {
        com.fasterxml.jackson.databind.node.ObjectNode body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        return body.put("description", description).toString();
    }

    private static void assertDetail(LocalGateway.Reply reply, int status, String fragment) {
        assertEquals(status, reply.status(), reply.body());
        String detail = reply.json().get("detail").asText();
        assertTrue(detail.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)), detail);
    }

    @Test
    void jobsRunCancelOnceAndShowLogs() {
        String base = collection(ResourceKind.JOB, "jobs-ws");
        JsonNode job = gateway.send("POST", base, "{\"name\": \"train-1\", \"spec\": {\"epochs\": 2}}").json();
        assertEquals("created", job.get("status").asText());
        LocalGateway.Reply cancelled = gateway.send("POST", base + "/train-1/cancel", null);
        assertEquals(200, cancelled.status());
        assertEquals("cancelled", cancelled.json().get("status").asText());
        assertEquals(409, gateway.send("POST", base + "/train-1/cancel", null).status());
        JsonNode logs = gateway.send("GET", base + "/train-1/logs", null).json();
        assertEquals(2, logs.get("pagination").get("total_results").asInt());
        assertEquals("job cancelled by anonymous", logs.get("data").get(1).get("message").asText());
        assertEquals(404, gateway.send("GET", base + "/nope/logs", null).status());
    }

    @Test
    void listsPageThroughInCreationOrder() {
        String base = collection(ResourceKind.MODEL, "paging-ws");
        for (int i = 1; i <= 7; i++) {
            assertEquals(201, gateway.send("POST", base, "{\"name\": \"m-" + i + "\"}").status());
        }
        JsonNode third = gateway.send("GET", base + "?page=3&page_size=3&sort=created_at", null).json();
        assertEquals(1, third.get("data").size());
        assertEquals("m-7", third.get("data").get(0).get("name").asText());
        assertEquals(3, third.get("pagination").get("total_pages").asInt());
        assertEquals(7, third.get("pagination").get("total_results").asInt());
        JsonNode beyond = gateway.send("GET", base + "?page=9&page_size=3", null).json();
        assertEquals(0, beyond.get("data").size());
    }
}
