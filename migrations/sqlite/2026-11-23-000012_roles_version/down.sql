ALTER TABLE tenants DROP COLUMN roles_version;
