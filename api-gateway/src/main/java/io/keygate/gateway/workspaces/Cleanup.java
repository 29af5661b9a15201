package io.keygate.gateway.workspaces;

import java.time.OffsetDateTime;

/** The gateway's record of one workspace deletion in progress (or failed). */
public record Cleanup(String workspace, CleanupStage stage, int attempts, String lastError, String requestedBy,
                      OffsetDateTime updatedAt) {
}
