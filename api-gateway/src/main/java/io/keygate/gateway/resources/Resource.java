package io.keygate.gateway.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;

/**
 * One stored resource. {@code spec} holds the client's own fields (everything but the ones the
 * gateway owns) and is returned merged into the top level of the wire object.
 */
public record Resource(
        String id,
        ResourceKind kind,
        String workspace,
        String name,
        String description,
        ObjectNode spec,
        String status,
        OffsetDateTime createdAt,
        String createdBy,
        OffsetDateTime updatedAt,
        String updatedBy) {
}
