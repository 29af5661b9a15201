package io.keygate.gateway.inference;

/**
 * Where inference requests go.
 *
 * @param upstreamUrl          base URL of an OpenAI-compatible server ({@code http://llm:8000}); empty = none (503)
 * @param forwardAuthorization pass the caller's {@code Authorization} header on (off by default: the
 *                             gateway's bearer token is meant for the gateway, not for the model server)
 */
public record InferenceConfig(String upstreamUrl, boolean forwardAuthorization) {

    public static InferenceConfig none() {
        return new InferenceConfig("", false);
    }

    public boolean isConfigured() {
        return upstreamUrl != null && !upstreamUrl.isBlank();
    }
}
