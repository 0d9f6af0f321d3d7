CREATE INDEX users_tenant_id_idx ON users (tenant_id, id);
DROP INDEX users_tenant_id_name_key_idx;
