package io.keygate.gateway.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keygate.gateway.web.Json;
import io.keygate.gateway.web.RouteTable;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code GET /apis/auth/discovery}, unauthenticated (listed in {@code auth.publicPaths}): the
 * answer NeMo Platform's auth service gives its CLI and SDK before {@code nmp auth login}, in its
 * shape: {@code auth_enabled}, and when on, {@code oidc} with the realm's issuer and endpoints
 * (taken from the realm's own discovery document, so Keycloak's hostname settings decide the URLs),
 * the client to log in with, the default scopes and the scope prefix.
 *
 * <p>It reveals nothing a visitor cannot read from Keycloak's public discovery document and the
 * client id the login page shows anyway. 503 when authentication is on but Keycloak's document
 * has never been reachable: the CLI must not be told a login without endpoints.
 */
public final class DiscoveryRoutes {

    public static final String PATH = "/apis/auth/discovery";

    private final DiscoverySettings settings;
    private final Optional<RealmDiscovery> realm;
    private final Json json;

    /** @param realmUrl the configured realm ({@code <keycloak>/realms/<realm>}), empty when none */
    public DiscoveryRoutes(DiscoverySettings settings, String realmUrl, Json json) {
        this.settings = settings;
        this.realm = realmUrl == null || realmUrl.isEmpty() ? Optional.empty()
                : Optional.of(new RealmDiscovery(realmUrl, json.mapper(), Clock.systemUTC()));
        this.json = json;
    }

    public void register(RouteTable table) {
        table.add(HandlerType.GET, PATH, "auth", "How to log in: the OIDC provider and client the CLI and SDK use", 200,
                this::discovery);
    }

    private void discovery(Context ctx) {
        ObjectNode answer = json.mapper().createObjectNode();
        answer.put("auth_enabled", settings.authEnabled());
        if (!settings.authEnabled() || realm.isEmpty()) {
            answer.putNull("oidc");
            json.send(ctx, 200, answer);
            return;
        }
        Optional<JsonNode> document = realm.get().document();
        if (document.isEmpty()) {
            json.error(ctx, 503, "the identity provider's discovery document is unavailable; try again later");
            return;
        }
        answer.set("oidc", oidc(document.get()));
        json.send(ctx, 200, answer);
    }

    private ObjectNode oidc(JsonNode document) {
        ObjectNode oidc = json.mapper().createObjectNode();
        oidc.put("issuer", document.path("issuer").asText());
        copy(document, oidc, "authorization_endpoint");
        copy(document, oidc, "token_endpoint");
        copy(document, oidc, "device_authorization_endpoint");
        copy(document, oidc, "userinfo_endpoint");
        oidc.put("client_id", settings.clientId());
        oidc.put("default_scopes", settings.defaultScopes());
        oidc.put("scope_prefix", settings.scopePrefix());
        return oidc;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && value.isTextual()) {
            to.put(field, value.asText());
        } else {
            to.putNull(field);
        }
    }
}
