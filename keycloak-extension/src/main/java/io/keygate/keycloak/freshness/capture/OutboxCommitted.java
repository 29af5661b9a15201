package io.keygate.keycloak.freshness.capture;

import java.util.List;
import org.keycloak.provider.ProviderEvent;

/**
 * Published on this node after a transaction that wrote outbox rows committed and its other
 * after-completion work (Keycloak's cache invalidations) ran: these rows may be sequenced at once.
 */
public record OutboxCommitted(List<String> rowIds) implements ProviderEvent {
}
