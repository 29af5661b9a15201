package io.keygate.core.api;

/**
 * A workspace on the wire: {@code {id, name, description, created_at, created_by, updated_at, updated_by}},
 * timestamps ISO-8601 UTC.
 */
public record WorkspaceBody(String id, String name, String description, String created_at, String created_by,
                            String updated_at, String updated_by) {

    /** The same workspace with its cleanup stage (shown to PlatformAdmins and the gateway's cleanup; null when none). */
    public StagedWorkspaceBody withDeletionStage(String deletionStage) {
        return new StagedWorkspaceBody(id, name, description, created_at, created_by, updated_at, updated_by, deletionStage);
    }

    /** A workspace with {@code deletion_stage} ({@code pending}, {@code deleting}, {@code failed}, or null). */
    public record StagedWorkspaceBody(String id, String name, String description, String created_at, String created_by,
                                      String updated_at, String updated_by, String deletion_stage) {
    }
}
