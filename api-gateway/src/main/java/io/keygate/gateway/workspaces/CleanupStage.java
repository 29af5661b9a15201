package io.keygate.gateway.workspaces;

/** Stages of an asynchronous workspace deletion (seed 003). "gone" is the absence of a record. */
public enum CleanupStage {
    pending,
    deleting,
    failed
}
