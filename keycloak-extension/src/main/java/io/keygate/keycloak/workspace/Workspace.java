package io.keygate.keycloak.workspace;

import io.keygate.core.Role;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.api.WorkspaceBody;
import java.time.Instant;
import java.util.Optional;
import org.keycloak.models.GroupModel;

/**
 * A workspace as read from its group: the metadata lives in group attributes (keys in
 * {@link WorkspaceLayout}), the description is the group description.
 */
public record Workspace(String id, String name, String description, Instant createdAt, String createdBy,
                        Instant updatedAt, String updatedBy, Optional<Role> wildcardRole,
                        Optional<DeletionStage> deletionStage) {

    /** Reads a workspace group. Groups made in the admin console without metadata get sensible fallbacks. */
    public static Workspace of(GroupModel group) {
        Instant created = instant(group.getFirstAttribute(WorkspaceLayout.ATTR_CREATED_AT))
                .orElseGet(() -> group.getCreatedTimestamp() != null ? Instant.ofEpochMilli(group.getCreatedTimestamp()) : Instant.EPOCH);
        Instant updated = instant(group.getFirstAttribute(WorkspaceLayout.ATTR_UPDATED_AT)).orElse(created);
        String createdBy = orDefault(group.getFirstAttribute(WorkspaceLayout.ATTR_CREATED_BY), "keycloak");
        String id = orDefault(group.getFirstAttribute(WorkspaceLayout.ATTR_ID), group.getId());
        return new Workspace(id, group.getName(), orDefault(group.getDescription(), ""), created, createdBy, updated,
                orDefault(group.getFirstAttribute(WorkspaceLayout.ATTR_UPDATED_BY), createdBy),
                Role.parse(group.getFirstAttribute(WorkspaceLayout.ATTR_WILDCARD_ROLE)),
                DeletionStage.parse(group.getFirstAttribute(WorkspaceLayout.ATTR_DELETION_STAGE)));
    }

    /** True while a cleanup stage is set: the workspace is then hidden from everyone but PlatformAdmins. */
    public boolean inDeletion() {
        return deletionStage.isPresent();
    }

    /** The wire shape {@code {id, name, description, created_at, created_by, updated_at, updated_by}}. */
    public WorkspaceBody body() {
        return new WorkspaceBody(id, name, description, Timestamps.format(createdAt), createdBy, Timestamps.format(updatedAt), updatedBy);
    }

    /** {@link #body()}, plus {@code deletion_stage} (null when none) when {@code withDeletionStage}. */
    public Object toJson(boolean withDeletionStage) {
        return withDeletionStage ? body().withDeletionStage(deletionStage.map(DeletionStage::wireName).orElse(null)) : body();
    }

    /** Writes creation metadata on a new workspace group. */
    public static void initialize(GroupModel group, String description, String actor, Instant now) {
        group.setSingleAttribute(WorkspaceLayout.ATTR_ID, java.util.UUID.randomUUID().toString());
        group.setDescription(description);
        group.setSingleAttribute(WorkspaceLayout.ATTR_CREATED_AT, Timestamps.format(now));
        group.setSingleAttribute(WorkspaceLayout.ATTR_CREATED_BY, actor);
        touch(group, actor, now);
    }

    /** Records who changed the workspace and when. */
    public static void touch(GroupModel group, String actor, Instant now) {
        group.setSingleAttribute(WorkspaceLayout.ATTR_UPDATED_AT, Timestamps.format(now));
        group.setSingleAttribute(WorkspaceLayout.ATTR_UPDATED_BY, actor);
    }

    private static Optional<Instant> instant(String value) {
        return Timestamps.parse(value);
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
