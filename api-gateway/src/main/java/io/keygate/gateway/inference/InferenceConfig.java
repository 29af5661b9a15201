package io.keygate.gateway.inference;

import io.keygate.gateway.auth.IdentityHeaderNames;

/**
 * Where inference requests go ({@code inference.*}).
 *
 * @param upstreamUrl          base URL of an OpenAI-compatible server ({@code http://llm:8000}); empty = none (503)
 * @param forwardAuthorization pass the caller's {@code Authorization} header on (off by default: the
 *                             gateway's bearer token is meant for the gateway, not for the model server)
 * @param identity             the identity header names ({@code forwardAuth.identityHeaders.*})
 */
public record InferenceConfig(String upstreamUrl, boolean forwardAuthorization, IdentityHeaderNames identity) {

    public InferenceConfig(String upstreamUrl, boolean forwardAuthorization) {
        this(upstreamUrl, forwardAuthorization, IdentityHeaderNames.defaults());
    }

    public InferenceConfig {
        identity = identity == null ? IdentityHeaderNames.defaults() : identity;
    }

    public static InferenceConfig none() {
        return new InferenceConfig("", false);
    }

    public boolean isConfigured() {
        return upstreamUrl != null && !upstreamUrl.isBlank();
    }
}
