package io.keygate.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The imported dev realm issues tokens the gateway can use, carrying the extension's claims. */
@RealKeycloak
class DevRealmTokenTest {

    KeycloakServer keycloak;

    @Test
    void cliTokenIsForTheGatewayAudienceAndNamesTheUser() throws ParseException {
        JWTClaimsSet claims = claims(keycloak.userToken("alice@example.com"));

        assertEquals(keycloak.issuer(), claims.getIssuer());
        assertTrue(claims.getAudience().contains(KeycloakServer.AUDIENCE), "aud: " + claims.getAudience());
        assertEquals("alice@example.com", claims.getStringClaim("email"));
        assertTrue(claims.getSubject() != null && !claims.getSubject().isBlank(), "sub is present");
    }

    @Test
    void extensionPutsBuiltInWorkspacesIntoEveryToken() throws ParseException {
        Map<String, Object> workspaces = claims(keycloak.userToken("bob@example.com")).getJSONObjectClaim("workspaces");

        assertEquals("Editor", workspaces.get("default"), "workspaces claim: " + workspaces);
        assertEquals("Viewer", workspaces.get("system"), "workspaces claim: " + workspaces);
    }

    @Test
    void platformAdminRoleReachesTheToken() throws ParseException {
        Map<String, Object> realmAccess = claims(keycloak.userToken("admin@example.com")).getJSONObjectClaim("realm_access");

        assertTrue(((List<?>) realmAccess.get("roles")).contains("platform-admin"), "realm_access: " + realmAccess);
    }

    @Test
    void optionalApiScopeCanBeRequested() throws ParseException {
        String scope = claims(keycloak.passwordToken("alice@example.com", KeycloakServer.DEV_PASSWORD, "platform:read"))
                .getStringClaim("scope");

        assertTrue(List.of(scope.split(" ")).contains("platform:read"), "scope: " + scope);
        assertTrue(!List.of(scope.split(" ")).contains("platform:write"), "scope: " + scope);
    }

    private static JWTClaimsSet claims(String token) throws ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }
}
