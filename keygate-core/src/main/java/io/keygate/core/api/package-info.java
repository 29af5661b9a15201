/**
 * The wire contract between the Keycloak extension and the gateway, defined once: the extension's
 * paths and headers ({@link io.keygate.core.api.ExtensionApi}) and the JSON bodies both sides
 * write and read, as plain records.
 *
 * <p>The records' component names are the JSON field names (NeMo Platform's snake_case), so each
 * side serializes them with the Jackson it already has (the gateway's own, Keycloak's inside the
 * extension) without annotations, mix-ins or a naming strategy: this module depends on the JDK only.
 * A shape that leaves a field out in some answers (a member that is not pending) is a second record
 * rather than a null, because both sides write nulls as {@code null}.
 */
package io.keygate.core.api;
