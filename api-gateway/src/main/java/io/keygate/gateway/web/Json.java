package io.keygate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.keygate.core.ApiException;
import io.keygate.core.Descriptions;
import io.keygate.core.api.ErrorBody;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** JSON helpers shared by the API handlers: one mapper, body parsing with clean 4xx, error bodies. */
public final class Json {

    private final ObjectMapper mapper = new ObjectMapper();

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The request body as a JSON object; 422 when it is missing, not JSON, or not an object. */
    public ObjectNode objectBody(Context ctx) {
        String body = ctx.body();
        if (body == null || body.isBlank()) {
            throw ApiException.unprocessable("request body must be a JSON object");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.unprocessable("request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.unprocessable("request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * The optional {@code description} of a request body, checked against {@code rule} before
     * anything is stored or forwarded: null when absent or JSON null, 422 when it is not a string
     * or breaks the rule (the detail names the limit).
     */
    public static String description(JsonNode body, Descriptions rule) {
        JsonNode description = body.get("description");
        if (description == null || description.isNull()) {
            return null;
        }
        if (!description.isTextual()) {
            throw ApiException.unprocessable("'description' must be a string");
        }
        return rule.require(description.asText());
    }

    /** Writes {@code node} with {@code status}. */
    public void send(Context ctx, int status, JsonNode node) {
        ctx.status(status).contentType("application/json").result(node.toString());
    }

    /** Writes {@code {"detail": detail}} with {@code status}. */
    public void error(Context ctx, int status, String detail) {
        send(ctx, status, mapper.valueToTree(new ErrorBody(detail)));
    }

    /** NeMo's delete response: {@code {"id": ..., "message": "Resource deleted successfully."}}. */
    public ObjectNode deleted(String id) {
        ObjectNode deleted = mapper.createObjectNode();
        deleted.put("id", id);
        deleted.put("message", "Resource deleted successfully.");
        return deleted;
    }

    /** ISO-8601 UTC with {@code Z}, microsecond precision (what both databases keep). */
    public static String timestamp(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z");
    }

    /** Now, truncated to what the databases store, so a value read back equals the one written. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
