package io.keygate.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in OpenID issuer on 127.0.0.1: signs tokens with its own RSA and EC keys and serves
 * its JWKS, discovery document and a {@code me/workspaces} endpoint over real HTTP. Keys can be
 * rotated and the server stopped, to test caching and outages.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String AUDIENCE = "keygate-api";

    private final String realm;
    private final List<JWK> published = new ArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final Map<String, String> overageBodies = new ConcurrentHashMap<>();
    private final Map<String, com.sun.net.httpserver.HttpHandler> extraRoutes = new java.util.LinkedHashMap<>();
    private final int port;
    private HttpServer server;
    private RSAKey signingKey;
    private final ECKey ecKey;

    public TestIssuer(String realm) {
        this(realm, 0);
    }

    private TestIssuer(String realm, int port) {
        this.realm = realm;
        try {
            signingKey = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
            ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        published.add(signingKey.toPublicJWK());
        published.add(ecKey.toPublicJWK());
        this.server = startServer(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer startServer(int bindPort) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", bindPort), 0);
            String base = "/realms/" + realm;
            http.createContext(base + "/protocol/openid-connect/certs", ex -> {
                jwksRequests.incrementAndGet();
                respond(ex, 200, jwksJson());
            });
            http.createContext(base + "/.well-known/openid-configuration", ex -> respond(ex, 200,
                    "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUrl() + "\"}"));
            http.createContext(base + "/keygate/me/workspaces", ex -> {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                String body = auth == null ? null : overageBodies.get(auth.substring("Bearer ".length()));
                respond(ex, body == null ? 401 : 200, body == null ? "{\"detail\":\"no\"}" : body);
            });
            synchronized (extraRoutes) {
                extraRoutes.forEach((path, handler) -> http.createContext(base + path, handler));
            }
            http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-issuer");
                t.setDaemon(true);
                return t;
            }));
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private synchronized String jwksJson() {
        return new JWKSet(new ArrayList<>(published)).toString(true);
    }

    public String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    public String discoveryUrl() {
        return issuer() + "/.well-known/openid-configuration";
    }

    public String meWorkspacesUrl() {
        return issuer() + "/keygate/me/workspaces";
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public RSAKey signingKey() {
        return signingKey;
    }

    public ECKey ecKey() {
        return ecKey;
    }

    /** Publishes a new RSA key and signs new tokens with it; the old key stays published unless {@code dropOld}. */
    public synchronized RSAKey rotate(boolean dropOld) {
        try {
            RSAKey fresh = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
            if (dropOld) {
                published.removeIf(k -> k.getKeyID().equals(signingKey.getKeyID()));
            }
            published.add(fresh.toPublicJWK());
            signingKey = fresh;
            return fresh;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops serving (simulates the IdP being down). */
    public void stop() {
        server.stop(0);
    }

    /** Serves again on the same port. */
    public void restart() {
        server = startServer(port);
    }

    /** Serves {@code handler} under {@code <issuer>/<pathUnderIssuer>} (kept across {@link #restart()}). */
    public void route(String pathUnderIssuer, com.sun.net.httpserver.HttpHandler handler) {
        synchronized (extraRoutes) {
            extraRoutes.put(pathUnderIssuer, handler);
        }
        server.createContext("/realms/" + realm + pathUnderIssuer, handler);
    }

    /** Makes {@code me/workspaces} answer {@code body} for requests carrying {@code token}. */
    public void serveOverage(String token, String body) {
        overageBodies.put(token, body);
    }

    /** Standard claims: this issuer, audience keygate-api, 5 minutes of life, a subject and an email. */
    public JWTClaimsSet.Builder claims(String email) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject(UUID.randomUUID().toString())
                .claim("email", email)
                .claim("name", email)
                .issueTime(new Date(now - 1000))
                .expirationTime(new Date(now + 300_000))
                .jwtID(UUID.randomUUID().toString());
    }

    /** An RS256 token with standard claims for {@code email}, workspaces as given, then {@code customize} applied. */
    public String token(String email, Map<String, String> workspaces, Consumer<JWTClaimsSet.Builder> customize) {
        JWTClaimsSet.Builder builder = claims(email).claim("workspaces", workspaces);
        customize.accept(builder);
        return sign(builder.build());
    }

    public String token(String email, Map<String, String> workspaces) {
        return token(email, workspaces, b -> { });
    }

    public String sign(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims, signingKey);
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
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
