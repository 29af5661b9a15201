package io.keygate.keycloak.freshness.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.api.ErrorBody;
import io.keygate.core.events.SecurityEvents;
import io.keygate.keycloak.freshness.delivery.PollService;
import io.keygate.keycloak.freshness.delivery.SsfConfig;
import io.keygate.keycloak.freshness.delivery.StreamStore;
import io.keygate.keycloak.freshness.store.SsfStreamEntity;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * The transmitter's HTTP routes under {@code /realms/{realm}/keygate-ssf}: SSF stream configuration
 * ({@code streams}: POST create, GET read, DELETE) and RFC 8936 poll delivery
 * ({@code streams/{id}/poll}). Every route needs a receiver client's bearer token
 * ({@link ReceiverAuth}); a receiver sees only its own streams. Errors are {@code {"detail": "..."}}.
 */
public final class SsfResource {

    static final String STREAMS = "streams";
    private static final int MAX_EVENTS_DEFAULT = 100;
    private static final int MAX_EVENTS_CAP = 1000;
    private static final Logger LOG = Logger.getLogger(SsfResource.class);

    private final KeycloakSession session;
    private final SsfConfig config;
    private final PollService polls;
    private final ObjectMapper json;

    SsfResource(KeycloakSession session, SsfConfig config, PollService polls, ObjectMapper json) {
        this.session = session;
        this.config = config;
        this.polls = polls;
        this.json = json;
    }

    /** {@code {"delivery":{"method":"urn:ietf:rfc:8936"},"events_requested":[...],"description":"..."}} → 201 stream config. */
    @POST
    @Path(STREAMS)
    public Response create(String body) {
        return handle(() -> {
            ClientModel client = receiver();
            JsonNode request = object(body, false);
            JsonNode method = request.path(SecurityEvents.STREAM_DELIVERY).path(SecurityEvents.STREAM_DELIVERY_METHOD);
            if (!method.isMissingNode() && !SecurityEvents.DELIVERY_POLL.equals(method.asText(null))) {
                throw ApiException.badRequest("Only poll delivery (" + SecurityEvents.DELIVERY_POLL + ") is offered");
            }
            String description = optionalText(request, SecurityEvents.STREAM_DESCRIPTION, 255);
            String requested = String.join(" ", strings(request, SecurityEvents.STREAM_EVENTS_REQUESTED));
            if (requested.length() > 1024) {
                throw ApiException.badRequest("'events_requested' is too long");
            }
            SsfStreamEntity stream = new StreamStore(session).create(realm().getId(), client.getClientId(), description, requested);
            return json(201, StreamConfigs.toJson(stream, issuer(), pollUrl(stream.getId())));
        });
    }

    /** {@code ?stream_id=X}: that stream's config (404 unknown); without it, the list of the receiver's streams. */
    @GET
    @Path(STREAMS)
    public Response read(@QueryParam(SecurityEvents.STREAM_ID) String streamId) {
        return handle(() -> {
            ClientModel client = receiver();
            StreamStore store = new StreamStore(session);
            if (streamId == null) {
                List<Map<String, Object>> all = store.list(realm().getId(), client.getClientId()).stream()
                        .map(stream -> StreamConfigs.toJson(stream, issuer(), pollUrl(stream.getId()))).toList();
                return json(200, all);
            }
            SsfStreamEntity stream = store.find(realm().getId(), client.getClientId(), streamId).orElseThrow(() -> notFound(streamId));
            return json(200, StreamConfigs.toJson(stream, issuer(), pollUrl(stream.getId())));
        });
    }

    @DELETE
    @Path(STREAMS)
    public Response delete(@QueryParam(SecurityEvents.STREAM_ID) String streamId) {
        return handle(() -> {
            ClientModel client = receiver();
            StreamStore store = new StreamStore(session);
            SsfStreamEntity stream = store.find(realm().getId(), client.getClientId(), streamId).orElseThrow(() -> notFound(streamId));
            store.delete(stream);
            return Response.noContent().build();
        });
    }

    /** RFC 8936 poll: {@code {"ack":[...],"setErrs":{...},"maxEvents":n,"returnImmediately":b}} → {@code {"sets":{...},"moreAvailable":b}}. */
    @POST
    @Path(STREAMS + "/{id}/poll")
    public Response poll(@PathParam("id") String streamId, String body) {
        return handle(() -> {
            ClientModel client = receiver();
            JsonNode request = object(body, true);
            List<String> acknowledged = new ArrayList<>(strings(request, SecurityEvents.POLL_ACK));
            Map<String, String> errors = setErrs(request);
            acknowledged.addAll(errors.keySet());
            PollService.logErrors(streamId, errors);
            int maxEvents = maxEvents(request);
            JsonNode immediate = request.get(SecurityEvents.POLL_RETURN_IMMEDIATELY);
            if (immediate != null && !immediate.isBoolean()) {
                throw ApiException.badRequest("'returnImmediately' must be a boolean");
            }
            boolean returnImmediately = immediate != null && immediate.booleanValue();
            PollService.Response answer = polls.poll(realm().getId(), client.getClientId(), streamId, issuer(),
                    new PollService.Request(acknowledged, maxEvents, returnImmediately));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(SecurityEvents.POLL_SETS, answer.sets());
            out.put(SecurityEvents.POLL_MORE_AVAILABLE, answer.moreAvailable());
            return json(200, out);
        });
    }

    // ---- plumbing

    private ClientModel receiver() {
        return new ReceiverAuth(session, config.receiverClients()).authenticate();
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }

    private String issuer() {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm().getName());
    }

    private String pollUrl(String streamId) {
        return issuer() + "/" + SsfResourceProviderFactory.ID + "/" + STREAMS + "/" + streamId + "/poll";
    }

    private static ApiException notFound(String streamId) {
        return ApiException.notFound(streamId == null || streamId.isBlank()
                ? "Query parameter 'stream_id' is required" : "No stream '" + streamId + "' for this receiver (unknown, deleted or expired)");
    }

    private JsonNode object(String body, boolean emptyAllowed) {
        if (body == null || body.isBlank()) {
            if (emptyAllowed) {
                return json.createObjectNode();
            }
            throw ApiException.badRequest("Request body is required (a JSON object)");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        return node;
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("'" + field + "' must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw ApiException.badRequest("'" + field + "' must be an array of non-empty strings");
            }
            strings.add(item.asText());
        }
        return strings;
    }

    private static Map<String, String> setErrs(JsonNode body) {
        JsonNode value = body.get(SecurityEvents.POLL_SET_ERRS);
        Map<String, String> errors = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return errors;
        }
        if (!value.isObject()) {
            throw ApiException.badRequest("'setErrs' must be an object of jti to {\"err\", \"description\"}");
        }
        value.properties().forEach(entry -> {
            if (!entry.getValue().isObject()) {
                throw ApiException.badRequest("'setErrs' must be an object of jti to {\"err\", \"description\"}");
            }
            errors.put(entry.getKey(), entry.getValue().path("err").asText("") + " " + entry.getValue().path("description").asText(""));
        });
        return errors;
    }

    private static int maxEvents(JsonNode body) {
        JsonNode value = body.get(SecurityEvents.POLL_MAX_EVENTS);
        if (value == null || value.isNull()) {
            return MAX_EVENTS_DEFAULT;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw ApiException.badRequest("'maxEvents' must be a non-negative integer");
        }
        return (int) Math.min(value.asLong(), MAX_EVENTS_CAP);
    }

    private static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > maxLength) {
            throw ApiException.badRequest("'" + field + "' must be a string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    private Response handle(Supplier<Response> work) {
        try {
            return work.get();
        } catch (ApiException e) {
            return error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("keygate SSF request failed", e);
            return error(500, "Internal error; see the Keycloak log");
        }
    }

    private Response json(int status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize response", e);
        }
    }

    private Response error(int status, String detail) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json.valueToTree(new ErrorBody(detail)).toString());
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm().getName() + "\"");
        }
        return response.build();
    }
}
