package io.keygate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.keygate.gateway.config.IssuerSettings;
import java.io.IOException;
import java.net.URL;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies tokens of one configured issuer with nimbus-jose-jwt.
 *
 * <p>Security contract: signature with a key from this issuer's JWKS only (never from a token
 * header: {@code jwk}, {@code jku}, {@code x5u}, {@code x5c} are refused before this class is
 * reached, and nimbus's key selector only consults our JWK source); algorithm in the issuer's
 * allow-list; {@code iss} equal to the configured issuer; {@code aud} containing a configured
 * audience; {@code exp} required; {@code nbf} honoured; clock skew bounded by configuration.
 * Keys are cached and refreshed ahead of expiry in the background; an unknown {@code kid}
 * causes at most one refetch per rate-limit interval; when the JWKS endpoint is down, cached
 * keys keep working for the outage-tolerance period.
 */
final class IssuerVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerVerifier.class);
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    private final IssuerSettings settings;
    private final LastKnownKeys lastKnown;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor;

    IssuerVerifier(IssuerSettings settings) {
        this.settings = settings;
        this.lastKnown = lastKnownKeys(settings);
        this.keys = keySource(settings, lastKnown);
        this.processor = processor(settings, keys);
    }

    /**
     * True while this gateway holds signing keys of the issuer it may verify with: fetched at least
     * once, and not longer ago than the outage tolerance. Without them no bearer token of this
     * issuer can be decided.
     */
    boolean keysCached() {
        return lastKnown.usable();
    }

    /**
     * Fetches the issuer's keys when none are cached (through the same cache, rate limiter and
     * timeout as token verification); true when keys are cached afterwards. Never throws.
     */
    boolean fetchKeysIfMissing() {
        if (lastKnown.usable()) {
            return true;
        }
        try {
            keys.get(new com.nimbusds.jose.jwk.JWKSelector(new com.nimbusds.jose.jwk.JWKMatcher.Builder().build()), null);
        } catch (KeySourceException | RuntimeException e) {
            LOG.info("issuer {}: signing keys not available yet: {}", settings.name(), e.getMessage());
        }
        return lastKnown.usable();
    }

    /** Stops background key refreshes. */
    void close() {
        if (keys instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.debug("closing key source of {}: {}", settings.name(), e.toString());
            }
        }
    }

    IssuerSettings settings() {
        return settings;
    }

    /** This issuer's key source (cached, refreshed, outage-tolerant); also verifies its security events. */
    JWKSource<SecurityContext> keys() {
        return keys;
    }

    /** The verified claims; throws {@link AuthFailure} (401) on any problem. */
    JWTClaimsSet verify(SignedJWT jwt) {
        try {
            return processor.process(jwt, null);
        } catch (KeySourceException e) {
            LOG.debug("issuer {}: no usable signing key: {}", settings.name(), e.toString());
            throw AuthFailure.invalidToken("no matching signing key");
        } catch (BadJWTException e) {
            throw AuthFailure.invalidToken(e.getMessage());
        } catch (BadJOSEException e) {
            throw AuthFailure.invalidToken(e.getMessage());
        } catch (com.nimbusds.jose.JOSEException | RuntimeException e) {
            throw AuthFailure.invalidToken("signature cannot be verified");
        }
    }

    private static DefaultJWTProcessor<SecurityContext> processor(IssuerSettings settings, JWKSource<SecurityContext> keys) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        settings.algorithms().forEach(name -> algorithms.add(JWSAlgorithm.parse(name)));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new ConvertedKeySelector(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new java.util.HashSet<>(settings.audiences()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                new java.util.HashSet<>(Set.of("iss", "exp", "aud")),
                new java.util.HashSet<>());
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    private static LastKnownKeys lastKnownKeys(IssuerSettings settings) {
        int timeout = (int) settings.jwksTimeout().toMillis();
        ResourceRetriever retriever = new DefaultResourceRetriever(timeout, timeout, JWKS_SIZE_LIMIT);
        JWKSetSource<SecurityContext> origin = settings.jwks() != null
                ? new URLBasedJWKSetSource<>(toUrl(settings.jwks().toString()), retriever)
                : new DiscoveredJWKSetSource(settings, retriever);
        return new LastKnownKeys(origin, settings.jwksOutageTolerance().toMillis());
    }

    private static JWKSource<SecurityContext> keySource(IssuerSettings settings, LastKnownKeys lastKnown) {
        return JWKSourceBuilder.create(lastKnown)
                .cache(settings.jwksCacheTtl().toMillis(), settings.jwksTimeout().toMillis())
                .refreshAheadCache(settings.jwksRefreshAhead().toMillis(), true)
                .rateLimited(settings.jwksRateLimit().toMillis())
                .outageTolerant(settings.jwksOutageTolerance().toMillis())
                .retrying(false)
                .failover(lastKnown)
                .build();
    }

    /**
     * Selects verification keys exactly like nimbus's {@link JWSVerificationKeySelector} (algorithm
     * allow-list, JWK matched by the header's kid, type and use, keys only from our source) but
     * converts each JWK to a Java key once instead of on every token.
     */
    private static final class ConvertedKeySelector implements com.nimbusds.jose.proc.JWSKeySelector<SecurityContext> {

        private record Converted(com.nimbusds.jose.jwk.JWK jwk, java.util.List<java.security.Key> keys) {
        }

        private final JWSVerificationKeySelector<SecurityContext> delegate;
        private final JWKSource<SecurityContext> source;
        private final java.util.Map<String, Converted> converted = new java.util.concurrent.ConcurrentHashMap<>();

        ConvertedKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
            this.delegate = new JWSVerificationKeySelector<>(algorithms, source);
            this.source = source;
        }

        @Override
        public java.util.List<? extends java.security.Key> selectJWSKeys(com.nimbusds.jose.JWSHeader header, SecurityContext context)
                throws KeySourceException {
            if (!delegate.isAllowed(header.getAlgorithm())) {
                return java.util.List.of();
            }
            com.nimbusds.jose.jwk.JWKMatcher matcher = com.nimbusds.jose.jwk.JWKMatcher.forJWSHeader(header);
            if (matcher == null) {
                return java.util.List.of();
            }
            java.util.List<java.security.Key> out = new java.util.ArrayList<>(1);
            for (com.nimbusds.jose.jwk.JWK jwk : source.get(new com.nimbusds.jose.jwk.JWKSelector(matcher), context)) {
                out.addAll(javaKeys(jwk));
            }
            return out;
        }

        private java.util.List<java.security.Key> javaKeys(com.nimbusds.jose.jwk.JWK jwk) {
            String id = jwk.getKeyID() == null ? "" : jwk.getKeyID();
            Converted known = converted.get(id);
            if (known != null && known.jwk() == jwk) {
                return known.keys();
            }
            java.util.List<java.security.Key> keys = java.util.List.copyOf(com.nimbusds.jose.jwk.KeyConverter.toJavaKeys(java.util.List.of(jwk)));
            if (converted.size() > 64) {
                converted.clear();
            }
            converted.put(id, new Converted(jwk, keys));
            return keys;
        }
    }

    /**
     * Remembers the last key set fetched successfully and serves it when the cached chain fails
     * (endpoint down, refresh rate-limited), for at most the outage-tolerance period after that
     * fetch. nimbus's own outage tolerance sits below its rate limiter, so a rate-limited reload
     * at cache expiry would otherwise fail while the IdP is down.
     */
    private static final class LastKnownKeys implements JWKSetSource<SecurityContext>, JWKSource<SecurityContext> {

        private final JWKSetSource<SecurityContext> origin;
        private final long toleranceMillis;
        private volatile JWKSet last;
        private volatile long fetchedAtMillis;

        LastKnownKeys(JWKSetSource<SecurityContext> origin, long toleranceMillis) {
            this.origin = origin;
            this.toleranceMillis = toleranceMillis;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long now, SecurityContext context) throws KeySourceException {
            JWKSet fetched = origin.getJWKSet(evaluator, now, context);
            last = fetched;
            fetchedAtMillis = System.currentTimeMillis();
            return fetched;
        }

        /** A key set was fetched, within the outage tolerance. */
        boolean usable() {
            return last != null && System.currentTimeMillis() - fetchedAtMillis <= toleranceMillis;
        }

        @Override
        public java.util.List<com.nimbusds.jose.jwk.JWK> get(com.nimbusds.jose.jwk.JWKSelector selector, SecurityContext context)
                throws KeySourceException {
            JWKSet known = last;
            if (!usable()) {
                throw new KeySourceException("signing keys unavailable and no recent key set to fall back on");
            }
            return selector.select(known);
        }

        @Override
        public void close() throws IOException {
            origin.close();
        }
    }

    private static URL toUrl(String url) {
        try {
            return new java.net.URI(url).toURL();
        } catch (java.net.URISyntaxException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException("bad URL " + url, e);
        }
    }

    /**
     * Resolves {@code jwks_uri} from the issuer's discovery document on first use (so the gateway
     * starts while Keycloak is still down). The document must name the configured issuer.
     */
    private static final class DiscoveredJWKSetSource implements JWKSetSource<SecurityContext> {

        private final IssuerSettings settings;
        private final ResourceRetriever retriever;
        private volatile URLBasedJWKSetSource<SecurityContext> delegate;

        DiscoveredJWKSetSource(IssuerSettings settings, ResourceRetriever retriever) {
            this.settings = settings;
            this.retriever = retriever;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long now, SecurityContext context) throws KeySourceException {
            return resolve().getJWKSet(evaluator, now, context);
        }

        private synchronized URLBasedJWKSetSource<SecurityContext> resolve() throws KeySourceException {
            if (delegate != null) {
                return delegate;
            }
            try {
                String body = retriever.retrieveResource(toUrl(settings.discovery().toString())).getContent();
                Map<String, Object> document = JSONObjectUtils.parse(body);
                if (!settings.issuer().equals(document.get("issuer"))) {
                    throw new KeySourceException("discovery document names issuer " + document.get("issuer")
                            + ", expected " + settings.issuer());
                }
                Object jwksUri = document.get("jwks_uri");
                if (!(jwksUri instanceof String uri) || !(uri.startsWith("https://") || uri.startsWith("http://"))) {
                    throw new KeySourceException("discovery document has no http(s) jwks_uri");
                }
                delegate = new URLBasedJWKSetSource<>(toUrl(uri), retriever);
                return delegate;
            } catch (IOException | java.text.ParseException e) {
                throw new KeySourceException("cannot read discovery document " + settings.discovery() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (delegate != null) {
                delegate.close();
            }
        }
    }
}
