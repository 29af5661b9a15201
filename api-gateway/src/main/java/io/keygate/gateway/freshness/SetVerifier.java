package io.keygate.gateway.freshness;

import static io.keygate.core.events.SecurityEvents.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.keygate.gateway.freshness.SetRejected.Reason;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies one Security Event Token (RFC 8417) of one issuer like a token, and reads its one event.
 *
 * <p>Security contract: compact JWS only, at most {@value #MAX_BYTES} bytes; the header's {@code alg}
 * in the issuer's allow-list ({@code none} and symmetric algorithms never are), {@code typ}
 * {@code secevent+jwt}, no key material or key locations in the header; signature with a key from
 * the issuer's own JWKS source (the one its access tokens are verified with); {@code iss} equal to
 * the configured issuer; {@code aud} containing this stream's audience; {@code iat} present, not
 * in the future beyond the clock skew and not older than the retention; {@code jti} and
 * {@code keygate_seq} present; exactly one event of a known type with a well-formed subject of
 * this issuer. Anything else is a {@link SetRejected} and changes nothing. Replays ({@code jti}
 * seen before) are the feed's check, since they need its memory.
 */
final class SetVerifier {

    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final Set<String> FORBIDDEN_HEADER = Set.of("jwk", "jku", "x5u", "x5c", "crit");

    private final FeedSettings settings;
    private final Set<String> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;

    SetVerifier(FeedSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this.settings = settings;
        this.algorithms = Set.copyOf(settings.issuer().algorithms());
        this.clock = clock;
        Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
        algorithms.forEach(name -> allowed.add(JWSAlgorithm.parse(name)));
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(SET_TYPE)));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(allowed, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    /** The verified SET; throws {@link SetRejected} naming the first check it failed. */
    VerifiedSet verify(String compact, String audience) throws SetRejected {
        SignedJWT jwt = parse(compact);
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw new SetRejected(Reason.SIGNATURE, "signature not verified with the issuer's keys: " + e.getMessage());
        }
        Map<String, Object> map = claims.getClaims();
        checkIssuerAndAudience(claims, audience);
        long iat = issuedAt(claims);
        String jti = text(map.get(CLAIM_JTI));
        if (jti == null) {
            throw new SetRejected(Reason.MALFORMED, "no jti");
        }
        if (!(map.get(CLAIM_SEQ) instanceof Number seq) || seq.longValue() < 0 || seq.doubleValue() != seq.longValue()) {
            throw new SetRejected(Reason.MALFORMED, "no " + CLAIM_SEQ);
        }
        return new VerifiedSet(jti, seq.longValue(), iat, EventReader.read(map, settings.issuer().issuer()));
    }

    private SignedJWT parse(String compact) throws SetRejected {
        if (compact == null || compact.length() > MAX_BYTES || compact.chars().filter(c -> c == '.').count() != 2) {
            throw new SetRejected(Reason.MALFORMED, "not a compact JWS of at most " + MAX_BYTES + " bytes");
        }
        Map<String, Object> header = json(compact.substring(0, compact.indexOf('.')), "header");
        if (!(header.get("alg") instanceof String alg) || !algorithms.contains(alg)) {
            throw new SetRejected(Reason.ALGORITHM, "algorithm " + header.get("alg") + " is not allowed for this issuer");
        }
        if (!SET_TYPE.equals(header.get("typ"))) {
            throw new SetRejected(Reason.TYPE, "typ must be " + SET_TYPE);
        }
        for (String name : FORBIDDEN_HEADER) {
            if (header.containsKey(name)) {
                throw new SetRejected(Reason.MALFORMED, "header must not carry " + name);
            }
        }
        json(compact.substring(compact.indexOf('.') + 1, compact.lastIndexOf('.')), "payload");
        try {
            return SignedJWT.parse(compact);
        } catch (ParseException e) {
            throw new SetRejected(Reason.MALFORMED, "not a JWS: " + e.getMessage());
        }
    }

    /** Decodes one part strictly (no duplicate keys, an object). */
    private static Map<String, Object> json(String part, String what) throws SetRejected {
        try {
            Map<String, Object> map = JSON.readValue(Base64.getUrlDecoder().decode(part), MAP);
            if (map == null) {
                throw new SetRejected(Reason.MALFORMED, what + " is not a JSON object");
            }
            return map;
        } catch (IOException | IllegalArgumentException e) {
            throw new SetRejected(Reason.MALFORMED, what + " is not a JSON object");
        }
    }

    private void checkIssuerAndAudience(JWTClaimsSet claims, String audience) throws SetRejected {
        if (!settings.issuer().issuer().equals(claims.getIssuer())) {
            throw new SetRejected(Reason.ISSUER, "iss is not " + settings.issuer().issuer());
        }
        List<String> aud = claims.getAudience();
        if (audience == null || aud == null || !aud.contains(audience)) {
            throw new SetRejected(Reason.AUDIENCE, "aud does not name this receiver");
        }
    }

    private long issuedAt(JWTClaimsSet claims) throws SetRejected {
        if (claims.getIssueTime() == null) {
            throw new SetRejected(Reason.IAT, "no iat");
        }
        long iat = claims.getIssueTime().getTime();
        long now = clock.millis();
        if (iat > now + settings.clockSkew().toMillis()) {
            throw new SetRejected(Reason.IAT, "iat is in the future");
        }
        if (iat < now - settings.retention().toMillis()) {
            throw new SetRejected(Reason.IAT, "iat is older than the retention of " + settings.retention());
        }
        return iat;
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
