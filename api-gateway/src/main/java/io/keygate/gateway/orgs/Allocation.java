package io.keygate.gateway.orgs;

import java.time.OffsetDateTime;

/** A resource allocation of one organization (NICo's allocation API). */
public record Allocation(String id, String org, String name, String description, OffsetDateTime createdAt, String createdBy,
                         OffsetDateTime updatedAt, String updatedBy) {
}
