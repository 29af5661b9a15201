package io.keygate.gateway.freshness;

import io.keygate.core.ApiException;
import io.keygate.core.iam.RoleBindings;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code wait_role_propagation} for one issuer's membership writes (NeMo Platform's query
 * parameter, default {@code true}). A write notes the time before it is sent ({@link #start});
 * once the extension has answered with the users it changed, {@link #settle} waits until this
 * gateway has applied their security events ({@link Propagation}) and names the outcome for the
 * {@value RoleBindings#PROPAGATION_HEADER} header.
 *
 * <p>On timeout the write still answers with success, as NeMo Platform's does (the change is
 * committed in Keycloak and will be enforced; failing the request would invite a retry of a write
 * that already happened), with {@value RoleBindings#NOT_CONFIRMED} so a client can tell.
 */
public final class WriteWait {

    private final Propagation propagation;
    private final String issuer;
    private final Clock clock;

    public WriteWait(Propagation propagation, String issuer, Clock clock) {
        this.propagation = propagation;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** Never waits (no event feed). */
    public static WriteWait none() {
        return new WriteWait(Propagation.NONE, "", Clock.systemUTC());
    }

    /** The parameter's value: absent means true; anything but true/false is 422 (before any change is made). */
    public static boolean requested(String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiException.unprocessable(RoleBindings.WAIT_PARAM + " must be true or false, got '"
                + (value.length() > 50 ? value.substring(0, 50) + "..." : value) + "'");
    }

    /** The moment a write is sent: events built at or after it count as the write's. */
    public long start() {
        return clock.millis();
    }

    /**
     * Waits for the write's events when asked to and there is something to wait for.
     *
     * @param changedSubjects the extension's {@value RoleBindings#CHANGED_SUBJECTS_HEADER} (user ids), if any
     * @return the {@value RoleBindings#PROPAGATION_HEADER} value
     */
    public String settle(boolean wait, Optional<String> changedSubjects, long startedMillis) {
        List<String> subjects = changedSubjects.map(value -> Arrays.stream(value.split(","))
                .map(String::trim).filter(subject -> !subject.isEmpty()).toList()).orElse(List.of());
        if (!wait || subjects.isEmpty() || !propagation.watches(issuer)) {
            return RoleBindings.NOT_WAITED;
        }
        return propagation.await(issuer, subjects, startedMillis) ? RoleBindings.CONFIRMED : RoleBindings.NOT_CONFIRMED;
    }
}
