package io.keygate.gateway.config;

/** The configuration cannot be used; the message names the key (and the environment variable that sets it). */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
