package io.keygate.gateway.policy;

/** A policy document that cannot be used. The message names the offending key path. */
public class PolicyException extends RuntimeException {

    public PolicyException(String message) {
        super(message);
    }
}
