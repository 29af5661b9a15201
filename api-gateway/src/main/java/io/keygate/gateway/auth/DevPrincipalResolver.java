package io.keygate.gateway.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.api.ExtensionApi;
import io.keygate.core.api.WorkspaceRolesBody;
import io.keygate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Development-only identity (NeMo quickstart): the caller names itself with
 * {@code X-NMP-Principal-Id: <email>} or {@code Authorization: Bearer <email>}. Nothing is
 * verified, which is why {@code auth.devPrincipalHeader} is off by default and logged loudly.
 * Roles are still Keycloak's: they are looked up live from the extension
 * ({@code GET <keycloak>/realms/<realm>/keygate/principals/{principal}/workspaces}) with the
 * gateway's own client-credentials token, and reused for a few seconds.
 */
public class DevPrincipalResolver {

    /** The quickstart header that names the caller. */
    public static final String HEADER = "X-NMP-Principal-Id";

    /** {@link Principal#issuer()} of a caller identified this way. */
    public static final String ISSUER = "dev-header";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(AuthenticatedCaller caller, long expiresAtMillis) {
    }

    private final GatewayConfig.Keycloak keycloak;
    private final ServiceAccountTokens serviceToken;
    private final HttpClient http;
    private final long cacheMillis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DevPrincipalResolver(GatewayConfig.Keycloak keycloak, ServiceAccountTokens serviceToken, HttpClient http, int cacheSeconds) {
        this.keycloak = keycloak;
        this.serviceToken = serviceToken;
        this.http = http;
        this.cacheMillis = cacheSeconds * 1000L;
    }

    /** True when a bearer value is a quickstart API key (an email) rather than a JWT. */
    public static boolean looksLikeEmail(String bearer) {
        return bearer.indexOf('@') > 0 && TokenAuthenticator.countDots(bearer) != 2 && bearer.length() <= 320;
    }

    public AuthenticatedCaller resolve(String principalId) {
        String principal = principalId.trim();
        if (principal.isEmpty() || principal.length() > 320 || principal.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw AuthFailure.invalidToken("malformed principal id");
        }
        long now = System.currentTimeMillis();
        Cached cached = cache.get(principal);
        if (cached != null && now < cached.expiresAtMillis) {
            return cached.caller;
        }
        AuthenticatedCaller caller = AuthenticatedCaller.of(lookup(principal));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(principal, new Cached(caller, now + cacheMillis));
        return caller;
    }

    /** Like {@link #resolve}, but asks Keycloak now: the roles cached a moment ago may predate a change. */
    public AuthenticatedCaller resolveFresh(String principalId) {
        cache.remove(principalId.trim());
        return resolve(principalId);
    }

    private Principal lookup(String principal) {
        String url = keycloak.keygateApi() + ExtensionApi.principalWorkspacesPath(principal);
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + serviceToken.token()).header("Accept", "application/json").GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                throw AuthFailure.invalidToken("unknown principal");
            }
            if (response.statusCode() != 200) {
                throw AuthFailure.unavailable("cannot look up roles of principal: Keycloak answered HTTP " + response.statusCode());
            }
            WorkspaceRolesBody.OfPrincipal body = JSON.readerFor(WorkspaceRolesBody.OfPrincipal.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(response.body());
            Map<String, Object> workspaces = new LinkedHashMap<>(body.workspaces());
            boolean platformAdmin = body.platform_admin();
            String email = principal.contains("@") ? principal : null;
            return new Principal(principal, email, principal, PrincipalMapper.parseRoles(workspaces), Map.of(), Set.of(),
                    platformAdmin, ISSUER);
        } catch (IOException | IllegalStateException e) {
            throw AuthFailure.unavailable("cannot look up roles of principal: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AuthFailure.unavailable("interrupted while looking up roles of principal");
        }
    }
}
