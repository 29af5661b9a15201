-- Allocations of the NICo organization API, per organization alias.
CREATE TABLE org_allocations (
    id VARCHAR(36) PRIMARY KEY,
    org VARCHAR(255) NOT NULL,
    name VARCHAR(63) NOT NULL,
    description VARCHAR(4000),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by VARCHAR(320) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(320) NOT NULL,
    CONSTRAINT org_allocations_unique_name UNIQUE (org, name)
);
