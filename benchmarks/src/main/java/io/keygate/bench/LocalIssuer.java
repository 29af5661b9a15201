package io.keygate.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An RS256 issuer on 127.0.0.1 serving its JWKS, shaped like a Keycloak realm's tokens. It also
 * answers the two Keycloak calls a gateway makes on a resource create (its service-account token,
 * and "does this workspace exist"), so a benchmark's writes run the same path as in production.
 */
final class LocalIssuer implements AutoCloseable {

    private final RSAKey key;
    private final RSASSASigner signer;
    private final HttpServer server;

    LocalIssuer() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("bench").generate();
        signer = new RSASSASigner(key);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        server.createContext("/realms/bench/protocol/openid-connect/certs", ex -> {
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        server.createContext("/realms/bench/protocol/openid-connect/token", ex -> {
            byte[] body = ("{\"access_token\":\"" + token(-1) + "\",\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/realms/bench/keygate/workspaces/", ex -> {
            String name = ex.getRequestURI().getPath().replaceAll(".*/workspaces/", "");
            byte[] body = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "local-issuer");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/bench";
    }

    String configYaml(int tokenCacheEntries) {
        return "auth:\n  tokenCacheMaxEntries: " + tokenCacheEntries + "\naudit:\n  sink: none\nissuers:\n  - name: bench\n    issuer: "
                + issuer() + "\n    jwks: " + issuer() + "/protocol/openid-connect/certs\n    audiences: [keygate-api]\n";
    }

    /** A token like Keycloak's for a user with a few workspaces, valid for an hour. */
    String token(int n) {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer()).audience(List.of("keygate-api", "account")).subject(UUID.randomUUID().toString())
                .issueTime(new Date(now)).expirationTime(new Date(now + 3_600_000)).jwtID(UUID.randomUUID().toString())
                .claim("typ", "Bearer").claim("azp", "keygate-cli").claim("sid", UUID.randomUUID().toString())
                .claim("email", "user" + n + "@example.com").claim("email_verified", true)
                .claim("preferred_username", "user" + n + "@example.com").claim("name", "User " + n)
                .claim("scope", "openid email profile")
                .claim("realm_access", Map.of("roles", List.of("offline_access", "uma_authorization", "default-roles-keygate")))
                .claim("workspaces", Map.of("default", "Editor", "system", "Viewer", "ml-team", "Admin", "team-" + (n % 50), "Viewer"))
                .claim("orgs", Map.of("acme", Map.of("name", "Acme Corp", "roles", List.of("TENANT_ADMIN"))))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
