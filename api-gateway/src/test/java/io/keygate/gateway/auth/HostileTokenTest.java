package io.keygate.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile and malformed tokens against a real gateway over HTTP: every one is answered 401, never 500. */
class HostileTokenTest {

    private static final String PATH = "/apis/models/v2/workspaces/ws1/models";
    private static TestIssuer issuer;
    private static TestGateway gateway;
    private static RSAKey attackerKey;

    @BeforeAll
    static void start() throws JOSEException {
        issuer = new TestIssuer("test");
        gateway = new TestGateway(TestGateway.config(TestGateway.issuerYaml("test", issuer, TestIssuer.AUDIENCE, "")));
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker").generate();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        issuer.close();
    }

    private static JWTClaimsSet claims() {
        return issuer.claims("mallory@example.com").claim("workspaces", Map.of("ws1", "Admin")).build();
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static Stream<Arguments> hostileTokens() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        JWTClaimsSet claims = claims();
        String payload = claims.toPayload().toBase64URL().toString();
        String valid = issuer.sign(claims);
        String kid = issuer.signingKey().getKeyID();

        cases.add(Arguments.of("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + "."));
        cases.add(Arguments.of("alg none with kid", b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") + "." + payload + "."));
        cases.add(Arguments.of("empty signature", valid.substring(0, valid.lastIndexOf('.') + 1)));

        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        hs.sign(new MACSigner(issuer.signingKey().toPublicKey().getEncoded()));
        cases.add(Arguments.of("HS256 signed with the issuer's public key", hs.serialize()));

        cases.add(Arguments.of("attacker key embedded in jwk header", TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(attackerKey.toPublicJWK()).build(), claims, attackerKey)));
        cases.add(Arguments.of("jku pointing elsewhere", TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwkURL(URI.create("http://127.0.0.1:9/evil/jwks")).build(),
                claims, attackerKey)));
        cases.add(Arguments.of("x5u pointing elsewhere", TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").x509CertURL(URI.create("http://127.0.0.1:9/evil.pem")).build(),
                claims, attackerKey)));
        cases.add(Arguments.of("kid path traversal", TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("../../../../../../dev/null").build(), claims, attackerKey)));
        cases.add(Arguments.of("kid URL", TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("http://127.0.0.1:9/evil/jwks").build(), claims, attackerKey)));
        cases.add(Arguments.of("real kid, attacker signature", TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims, attackerKey)));

        String esHeader = b64("{\"alg\":\"ES256\",\"kid\":\"" + issuer.ecKey().getKeyID() + "\"}");
        cases.add(Arguments.of("ES256 with r = s = 0", esHeader + "." + payload + "." + Base64URL.encode(new byte[64])));

        long now = System.currentTimeMillis();
        cases.add(Arguments.of("expired", issuer.sign(issuer.claims("m@example.com").expirationTime(new Date(now - 120_000)).build())));
        cases.add(Arguments.of("no exp", issuer.sign(issuer.claims("m@example.com").expirationTime(null).build())));
        cases.add(Arguments.of("nbf in the future", issuer.sign(issuer.claims("m@example.com").notBeforeTime(new Date(now + 120_000)).build())));
        cases.add(Arguments.of("wrong issuer", issuer.sign(issuer.claims("m@example.com").issuer("https://evil.example.com/realms/test").build())));
        cases.add(Arguments.of("another realm on the same server", issuer.sign(issuer.claims("m@example.com")
                .issuer(issuer.issuer().replace("/realms/test", "/realms/other")).build())));
        cases.add(Arguments.of("wrong audience", issuer.sign(issuer.claims("m@example.com").audience("some-other-api").build())));
        cases.add(Arguments.of("no audience", issuer.sign(issuer.claims("m@example.com").audience((String) null).build())));

        String[] parts = valid.split("\\.");
        String tampered = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("mallory@example.com", "admin@example.com");
        cases.add(Arguments.of("tampered payload", parts[0] + "." + b64(tampered) + "." + parts[2]));
        cases.add(Arguments.of("truncated token", valid.substring(0, valid.length() - 12)));
        cases.add(Arguments.of("header only", parts[0]));

        String big = "x".repeat(20 * 1024);
        cases.add(Arguments.of("20 KB token", issuer.sign(issuer.claims("m@example.com").claim("padding", big).build())));

        byte[] random = new byte[600];
        new SecureRandom().nextBytes(random);
        cases.add(Arguments.of("random bytes", Base64.getUrlEncoder().withoutPadding().encodeToString(random)));
        cases.add(Arguments.of("random bytes in three parts", Base64.getUrlEncoder().encodeToString(random).substring(0, 100)
                + "." + Base64.getUrlEncoder().encodeToString(random).substring(100, 400) + ".abc"));
        JWSHeader rs256 = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
        String duplicateJson = claims.toString().replaceFirst("\\{", "{\"iss\":\"https://evil.example.com\",");
        String duplicateInput = rs256.toBase64URL() + "." + b64(duplicateJson);
        cases.add(Arguments.of("duplicate iss claim, validly signed", duplicateInput + "."
                + new com.nimbusds.jose.crypto.RSASSASigner(issuer.signingKey()).sign(rs256, duplicateInput.getBytes(StandardCharsets.US_ASCII))));
        cases.add(Arguments.of("JSON header not an object", b64("[1,2]") + "." + payload + ".abc"));
        cases.add(Arguments.of("five-part JWE-like token", "a.b.c.d.e"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    void hostileTokenIsAnswered401(String name, String token) {
        TestGateway.Response response = gateway.get(PATH, token);
        System.out.println("hostile token [" + name + "] -> " + response.status() + " " + response.wwwAuthenticate());
        assertEquals(401, response.status(), name + ": " + response.body());
        assertNotNull(response.wwwAuthenticate(), name);
        assertTrue(response.wwwAuthenticate().startsWith("Bearer realm=\"keygate\", error=\"invalid_token\", error_description="),
                response.wwwAuthenticate());
        assertTrue(response.body().startsWith("{\"detail\":"), response.body());
    }

    @Test
    void validTokenIsAcceptedSoTheHostileCasesAreMeaningful() {
        TestGateway.Response response = gateway.get(PATH, issuer.sign(claims()));
        assertEquals(200, response.status(), response.body());
        assertTrue(response.body().contains("mallory@example.com"));
    }

    @Test
    void aCachedTokensSignatureUnderAnotherPayloadIsVerifiedAndRefused() {
        String valid = issuer.sign(claims());
        assertEquals(200, gateway.get(PATH, valid).status(), "the valid token, now in the verified-token cache");
        String[] parts = valid.split("\\.");
        String tampered = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("mallory@example.com", "admin01@example.com");
        String sameSignature = parts[0] + "." + b64(tampered) + "." + parts[2];
        assertEquals(TokenKey.of(valid).hashCode(), TokenKey.of(sameSignature).hashCode(), "same signature, so the same cache bucket");
        assertEquals(401, gateway.get(PATH, sameSignature).status());
        assertEquals(200, gateway.get(PATH, valid).status());
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndNothingElseIsBearer() {
        String token = issuer.sign(claims());
        assertEquals(200, gateway.call("GET", PATH, Map.of("Authorization", "bEaReR " + token)).status());
        assertEquals(200, gateway.call("GET", PATH, Map.of("Authorization", "BEARER  " + token + " ")).status());
        assertEquals(401, gateway.call("GET", PATH, Map.of("Authorization", "Bearer" + token)).status());
        assertEquals(401, gateway.call("GET", PATH, Map.of("Authorization", "Bearex " + token)).status());
        assertEquals(401, gateway.call("GET", PATH, Map.of("Authorization", "Bear")).status());
    }

    @Test
    void validEs256TokenIsAccepted() {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(issuer.ecKey().getKeyID()).build(), claims(),
                issuer.ecKey());
        assertEquals(200, gateway.get(PATH, token).status());
    }

    @Test
    void noCredentialsGetsABareChallenge() {
        TestGateway.Response response = gateway.get(PATH, null);
        assertEquals(401, response.status());
        assertEquals("Bearer realm=\"keygate\"", response.wwwAuthenticate());
    }

    @Test
    void otherSchemesAndGarbageHeadersAre401() {
        assertEquals(401, gateway.call("GET", PATH, Map.of("Authorization", "Basic YWRtaW46YWRtaW4=")).status());
        assertEquals(401, gateway.call("GET", PATH, Map.of("Authorization", "Bearer ")).status());
        assertEquals(401, gateway.call("GET", PATH, Map.of("Authorization", "Bearer admin@example.com")).status(),
                "an email is not a token unless dev mode is on");
        assertEquals(401, gateway.call("GET", PATH, Map.of("X-NMP-Principal-Id", "admin@example.com")).status(),
                "the quickstart header is ignored unless dev mode is on");
    }

    @Test
    void unknownIssuerCausesNoNetworkCall() {
        int before = issuer.jwksRequests();
        for (int i = 0; i < 5; i++) {
            gateway.get(PATH, issuer.sign(issuer.claims("m@example.com").issuer("http://127.0.0.1:9/realms/x" + i).build()));
        }
        assertEquals(before, issuer.jwksRequests());
    }

    @Test
    void unknownKidRefetchesAtMostOncePerRateLimitInterval() {
        gateway.get(PATH, issuer.sign(claims()));
        int before = issuer.jwksRequests();
        for (int i = 0; i < 20; i++) {
            assertEquals(401, gateway.get(PATH, TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + i).build(),
                    claims(), attackerKey)).status());
        }
        int refetches = issuer.jwksRequests() - before;
        System.out.println("JWKS refetches caused by 20 unknown kids: " + refetches);
        assertTrue(refetches <= 2, "unknown kids caused " + refetches + " JWKS fetches");
    }
}
