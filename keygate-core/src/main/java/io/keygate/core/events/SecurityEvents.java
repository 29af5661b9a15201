package io.keygate.core.events;

/**
 * The freshness wire contract (docs/freshness.md) shared by the Keycloak transmitter and the
 * gateway receiver: Security Event Token (RFC 8417) event types, claim names and the SSF / RFC 8936
 * field names. Both sides use these constants so the contract is defined once.
 */
public final class SecurityEvents {

    /** CAEP 1.0: the subject's claims changed; the event carries their current values. */
    public static final String TOKEN_CLAIMS_CHANGE =
            "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";

    /** CAEP 1.0: one session (sub_id complex with a session) or all sessions (iss_sub) of a user ended. */
    public static final String SESSION_REVOKED =
            "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

    /** keygate: a change that touches every user of one workspace (wildcard, deletion). */
    public static final String WORKSPACE_CHANGE = "urn:keygate:secevent:workspace-change";

    /** JWS {@code typ} header of a SET. */
    public static final String SET_TYPE = "secevent+jwt";

    /** RFC 8936 poll delivery method URN. */
    public static final String DELIVERY_POLL = "urn:ietf:rfc:8936";
    /** RFC 8935 push delivery method URN (not offered by the keygate transmitter). */
    public static final String DELIVERY_PUSH = "urn:ietf:rfc:8935";
    /** SSF authorization scheme: OAuth 2.0 bearer token. */
    public static final String AUTH_SCHEME_OAUTH2 = "urn:ietf:rfc:6749";

    /** Well-known path suffix (after the issuer) of the transmitter metadata. */
    public static final String WELL_KNOWN_ALIAS = "ssf-configuration";
    public static final String SPEC_VERSION = "1_0";

    // SET claims (RFC 8417, SSF 1.0)
    public static final String CLAIM_ISS = "iss";
    public static final String CLAIM_AUD = "aud";
    public static final String CLAIM_IAT = "iat";
    public static final String CLAIM_JTI = "jti";
    public static final String CLAIM_SUB_ID = "sub_id";
    public static final String CLAIM_EVENTS = "events";
    /** keygate: realm-wide, strictly increasing, gap-free sequence number of the SET in commit order. */
    public static final String CLAIM_SEQ = "keygate_seq";

    // Subject identifiers (RFC 9493)
    public static final String SUBJECT_FORMAT = "format";
    public static final String FORMAT_ISS_SUB = "iss_sub";
    public static final String FORMAT_COMPLEX = "complex";
    public static final String FORMAT_OPAQUE = "opaque";
    public static final String SUBJECT_ISS = "iss";
    public static final String SUBJECT_SUB = "sub";
    public static final String SUBJECT_ID = "id";
    public static final String SUBJECT_USER = "user";
    public static final String SUBJECT_SESSION = "session";
    /** Prefix of the opaque subject id of a workspace-change event: {@code workspace:<name>}. */
    public static final String WORKSPACE_SUBJECT_PREFIX = "workspace:";

    // Event payload fields
    public static final String EVENT_TIMESTAMP = "event_timestamp";
    public static final String EVENT_CLAIMS = "claims";
    public static final String EVENT_REASON_ADMIN = "reason_admin";
    public static final String EVENT_WORKSPACE = "workspace";
    public static final String EVENT_WILDCARD_ROLE = "wildcard_role";
    public static final String EVENT_STATE = "state";
    public static final String STATE_ACTIVE = "active";
    public static final String STATE_DELETED = "deleted";

    /** Claim inside token-claims-change: Keycloak's realm roles, as in the access token. */
    public static final String REALM_ACCESS = "realm_access";
    public static final String REALM_ACCESS_ROLES = "roles";

    // session-revoked reason_admin.en values
    public static final String REASON_LOGOUT = "logout";
    public static final String REASON_USER_DISABLED = "user disabled";
    public static final String REASON_USER_DELETED = "user deleted";
    public static final String REASON_ADMIN_SIGN_OUT = "admin sign-out";

    // Stream configuration (SSF 1.0 section 8.1.1) and keygate's extension
    public static final String STREAM_ID = "stream_id";
    public static final String STREAM_DELIVERY = "delivery";
    public static final String STREAM_DELIVERY_METHOD = "method";
    public static final String STREAM_ENDPOINT_URL = "endpoint_url";
    public static final String STREAM_EVENTS_SUPPORTED = "events_supported";
    public static final String STREAM_EVENTS_REQUESTED = "events_requested";
    public static final String STREAM_EVENTS_DELIVERED = "events_delivered";
    public static final String STREAM_DESCRIPTION = "description";
    /** keygate: seq of the first SET a new stream will deliver. */
    public static final String STREAM_NEXT_SEQ = "keygate_next_seq";

    // Transmitter metadata (SSF 1.0 section 7.1)
    public static final String META_SPEC_VERSION = "spec_version";
    public static final String META_ISSUER = "issuer";
    public static final String META_JWKS_URI = "jwks_uri";
    public static final String META_DELIVERY_METHODS = "delivery_methods_supported";
    public static final String META_CONFIGURATION_ENDPOINT = "configuration_endpoint";
    public static final String META_AUTHORIZATION_SCHEMES = "authorization_schemes";
    public static final String META_SPEC_URN = "spec_urn";
    public static final String META_DEFAULT_SUBJECTS = "default_subjects";

    // RFC 8936 poll request / response
    public static final String POLL_ACK = "ack";
    public static final String POLL_SET_ERRS = "setErrs";
    public static final String POLL_MAX_EVENTS = "maxEvents";
    public static final String POLL_RETURN_IMMEDIATELY = "returnImmediately";
    public static final String POLL_SETS = "sets";
    public static final String POLL_MORE_AVAILABLE = "moreAvailable";

    private SecurityEvents() {
    }
}
