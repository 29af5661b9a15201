-- Leases on workspace cleanups (issue 11): the gateway instance running a cleanup and until when it
-- holds it; another instance takes the cleanup over only after the lease has expired.
ALTER TABLE workspace_cleanups ADD COLUMN lease_owner VARCHAR(200);
ALTER TABLE workspace_cleanups ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
