-- Bumped with every change to the tenant's role catalogue, so a gateway can keep the catalogue
-- in memory and still see a change made by another process (the CLI, a second gateway) on the
-- next request: the version is read with the session on every authenticated call.
ALTER TABLE tenants ADD COLUMN roles_version BIGINT NOT NULL DEFAULT 0;
