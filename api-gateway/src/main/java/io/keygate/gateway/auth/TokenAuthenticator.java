package io.keygate.gateway.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keygate.gateway.config.IssuerSettings;
import java.text.ParseException;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Establishes the caller from a bearer token, with no network I/O in the steady state.
 *
 * <p>Security contract, in order: tokens longer than the configured bound are refused unparsed;
 * only JWS compact tokens are accepted (no {@code alg: none}, no JWE); a header carrying key
 * material or key locations ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) is refused; the
 * unverified {@code iss} only selects which configured issuer verifies the token, and an
 * unknown issuer is refused without any network call; the selected {@link IssuerVerifier}
 * checks signature, algorithm, exact issuer, audience and lifetime. Only then are claims mapped
 * to a {@link Principal} and the result cached until {@code exp}.
 */
public final class TokenAuthenticator {

    private final Map<String, IssuerVerifier> verifiers = new HashMap<>();
    private final Map<String, PrincipalMapper> mappers = new HashMap<>();
    private final int maxTokenBytes;
    private final VerifiedTokenCache cache;

    public TokenAuthenticator(List<IssuerSettings> issuers, String platformAdminRole, int maxTokenBytes, int cacheMaxEntries,
                              OverageResolver overage) {
        for (IssuerSettings issuer : issuers) {
            verifiers.put(issuer.issuer(), new IssuerVerifier(issuer));
            mappers.put(issuer.issuer(), new PrincipalMapper(issuer, platformAdminRole, overage));
        }
        this.maxTokenBytes = maxTokenBytes;
        this.cache = new VerifiedTokenCache(cacheMaxEntries);
    }

    /** The verified caller; throws {@link AuthFailure} (401, or 503 when overage roles cannot be fetched). */
    public AuthenticatedCaller authenticate(String token) {
        long now = System.currentTimeMillis();
        AuthenticatedCaller cached = cache.get(token, now);
        if (cached != null) {
            return cached;
        }
        if (token.length() > maxTokenBytes) {
            throw AuthFailure.invalidToken("token exceeds " + maxTokenBytes + " bytes");
        }
        SignedJWT jwt = parse(token);
        checkHeader(jwt.getHeader());
        String issuer = unverifiedIssuer(jwt);
        IssuerVerifier verifier = verifiers.get(issuer);
        if (verifier == null) {
            throw AuthFailure.invalidToken("untrusted issuer");
        }
        JWTClaimsSet claims = verifier.verify(jwt);
        Principal principal = mappers.get(issuer).map(claims.getClaims(), token);
        Date iat = claims.getIssueTime();
        AuthenticatedCaller caller = AuthenticatedCaller.fromToken(principal, iat == null ? 0 : iat.getTime(), sessionId(claims));
        Date exp = claims.getExpirationTime();
        cache.put(token, caller, exp.getTime(), now);
        return caller;
    }

    /**
     * The principal of an already verified token of issuer {@code issuerName}, mapped from
     * {@code claims} (the token's claims with newer values laid over them) exactly as a token is.
     */
    public Principal map(String issuerName, Map<String, Object> claims, String token) {
        for (IssuerVerifier verifier : verifiers.values()) {
            if (verifier.settings().name().equals(issuerName)) {
                return mappers.get(verifier.settings().issuer()).map(claims, token);
            }
        }
        throw new IllegalArgumentException("no configured issuer named " + issuerName);
    }

    /**
     * Per configured issuer (by name): whether its signing keys are cached, fetching them first for
     * an issuer that has none (bounded by its JWKS timeout and rate limit). Readiness: a gateway
     * without an issuer's keys cannot decide that issuer's bearer requests.
     */
    public Map<String, Boolean> signingKeysCached() {
        Map<String, Boolean> cached = new java.util.TreeMap<>();
        verifiers.values().forEach(verifier -> cached.put(verifier.settings().name(), verifier.fetchKeysIfMissing()));
        return cached;
    }

    /**
     * The signing keys of the configured issuer with this exact {@code iss} URL (the same cached,
     * refreshed source its tokens are verified with), or null when it is not configured.
     */
    public com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> keysOf(String issuerUrl) {
        IssuerVerifier verifier = verifiers.get(issuerUrl);
        return verifier == null ? null : verifier.keys();
    }

    /**
     * The claims of a token this authenticator has already verified (the caller guarantees it);
     * parsing only, no signature check.
     */
    public static Map<String, Object> claimsOf(String verifiedToken) {
        try {
            return ParsedToken.of(verifiedToken).getJWTClaimsSet().getClaims();
        } catch (ParseException e) {
            throw AuthFailure.invalidToken("malformed token claims");
        }
    }

    private static String sessionId(JWTClaimsSet claims) {
        Object sid = claims.getClaim("sid");
        return sid instanceof String s && !s.isEmpty() ? s : null;
    }

    int cacheSize() {
        return cache.size();
    }

    private static SignedJWT parse(String token) {
        if (countDots(token) != 2) {
            throw AuthFailure.invalidToken("not a signed JWT");
        }
        try {
            return ParsedToken.of(token);
        } catch (ParseException | RuntimeException e) {
            throw AuthFailure.invalidToken("malformed token");
        }
    }

    static int countDots(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        return dots;
    }

    /** Stops background key refreshes of every issuer. */
    public void close() {
        verifiers.values().forEach(IssuerVerifier::close);
    }

    private static void checkHeader(JWSHeader header) {
        if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw AuthFailure.invalidToken("token header must not carry keys or key locations");
        }
    }

    private static String unverifiedIssuer(SignedJWT jwt) {
        try {
            String issuer = jwt.getJWTClaimsSet().getIssuer();
            if (issuer == null) {
                throw AuthFailure.invalidToken("token has no issuer");
            }
            return issuer;
        } catch (ParseException | RuntimeException e) {
            if (e instanceof AuthFailure failure) {
                throw failure;
            }
            throw AuthFailure.invalidToken("malformed token claims");
        }
    }
}
