DROP INDEX users_tenant_name_key_idx;
