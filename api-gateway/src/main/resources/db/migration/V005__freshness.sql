-- Security-event feeds (issue 8): one stream per gateway instance and issuer, and the changes applied
-- from them, so a restarted gateway still refuses what it refused before.
CREATE TABLE freshness_streams (
    instance_id VARCHAR(200) NOT NULL,
    issuer VARCHAR(1000) NOT NULL,
    stream_id VARCHAR(200),
    audience VARCHAR(200),
    last_seq BIGINT NOT NULL,
    unverified_before BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT freshness_streams_pk PRIMARY KEY (instance_id, issuer)
);

-- The newest change per (issuer, kind, key): kind claims|revoked (key = subject), session (key = sid),
-- workspace (key = workspace name); content is the change as JSON.
CREATE TABLE freshness_changes (
    issuer VARCHAR(1000) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    change_key VARCHAR(1000) NOT NULL,
    event_millis BIGINT NOT NULL,
    content VARCHAR NOT NULL,
    CONSTRAINT freshness_changes_pk PRIMARY KEY (issuer, kind, change_key)
);

CREATE INDEX freshness_changes_by_time ON freshness_changes (event_millis);

-- SET ids already received per stream (replay protection across restarts).
CREATE TABLE freshness_seen_sets (
    stream_id VARCHAR(200) NOT NULL,
    jti VARCHAR(200) NOT NULL,
    issued_at BIGINT NOT NULL,
    CONSTRAINT freshness_seen_sets_pk PRIMARY KEY (stream_id, jti)
);

CREATE INDEX freshness_seen_sets_by_time ON freshness_seen_sets (issued_at);
