package io.keygate.keycloak.freshness.capture;

import org.keycloak.provider.ProviderEvent;

/** Published on this node right after a transaction that wrote outbox rows committed: time to sequence them. */
public record OutboxCommitted() implements ProviderEvent {
}
