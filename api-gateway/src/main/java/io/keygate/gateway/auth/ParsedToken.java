package io.keygate.gateway.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

/**
 * A compact JWS whose claims are parsed once, with Jackson (strict about duplicate keys), instead
 * of nimbus's bundled JSON parser; it is the per-token hot spot after the signature itself.
 * Signature verification is unchanged: nimbus verifies the original signing input bytes, and
 * the claims it checks ({@code iss}, {@code aud}, {@code exp}, {@code nbf}) are the very claims
 * the principal is built from.
 */
final class ParsedToken extends SignedJWT {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final String payloadPart;
    private JWTClaimsSet claims;

    private ParsedToken(String[] parts) throws ParseException {
        super(new Base64URL(parts[0]), new Base64URL(parts[1]), new Base64URL(parts[2]));
        this.payloadPart = parts[1];
    }

    /** Parses {@code header.payload.signature}; the caller has checked there are exactly two dots. */
    static ParsedToken of(String token) throws ParseException {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1) {
            throw new ParseException("not a compact JWS", 0);
        }
        return new ParsedToken(new String[] {token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1)});
    }

    @Override
    public JWTClaimsSet getJWTClaimsSet() throws ParseException {
        if (claims == null) {
            try {
                Map<String, Object> map = JSON.readValue(Base64.getUrlDecoder().decode(payloadPart), MAP);
                if (map == null) {
                    throw new ParseException("payload is not a JSON object", 0);
                }
                claims = JWTClaimsSet.parse(map);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParseException("payload is not a JSON object", 0);
            }
        }
        return claims;
    }
}
