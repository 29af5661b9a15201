-- Resources kept by the gateway per workspace: projects, models, filesets, deployments, jobs.
CREATE TABLE resources (
    id VARCHAR(64) PRIMARY KEY,
    kind VARCHAR(32) NOT NULL,
    workspace VARCHAR(63) NOT NULL,
    name VARCHAR(63) NOT NULL,
    description VARCHAR(4000),
    spec VARCHAR NOT NULL,
    status VARCHAR(32),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by VARCHAR(320) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(320) NOT NULL,
    CONSTRAINT resources_unique_name UNIQUE (kind, workspace, name)
);

CREATE INDEX resources_by_workspace ON resources (workspace, kind, created_at);

-- Job log lines, in order of seq per job.
CREATE TABLE job_logs (
    job_id VARCHAR(64) NOT NULL,
    seq INTEGER NOT NULL,
    logged_at TIMESTAMP WITH TIME ZONE NOT NULL,
    message VARCHAR(4000) NOT NULL,
    CONSTRAINT job_logs_pk PRIMARY KEY (job_id, seq)
);
