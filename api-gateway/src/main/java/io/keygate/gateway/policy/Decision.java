package io.keygate.gateway.policy;

/**
 * The outcome of one policy decision.
 *
 * @param outcome   allowed or why not
 * @param detail    a sentence for the caller naming what is missing (null when allowed)
 * @param rule      the endpoint that matched, or null when none did
 * @param workspace the workspace named by the path, or null
 * @param org       the organization named by the path, or null
 */
public record Decision(Outcome outcome, String detail, EndpointRule rule, String workspace, String org) {

    /** Why a request was allowed or denied. */
    public enum Outcome {
        ALLOWED,
        /** No endpoint in the policy matches the method and path: denied by default. */
        NO_ENDPOINT,
        /** The path is malformed (dot segments, empty segments, encoded slashes). */
        BAD_PATH,
        MISSING_SCOPE,
        MISSING_ROLE,
        MISSING_ORG_ROLE
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
