-- Asynchronous workspace deletions (seed 003): one row per workspace being cleaned up.
CREATE TABLE workspace_cleanups (
    workspace VARCHAR(63) PRIMARY KEY,
    stage VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    last_error VARCHAR(4000),
    requested_by VARCHAR(320) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
