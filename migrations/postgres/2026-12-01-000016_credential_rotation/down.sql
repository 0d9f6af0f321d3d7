DROP TABLE credential_audit;
ALTER TABLE tenants DROP COLUMN previous_key_valid_until;
ALTER TABLE tenants DROP COLUMN previous_key_hash;
DROP INDEX credentials_tenant_idx;
DROP INDEX credentials_previous_token_hash_idx;
ALTER TABLE credentials DROP COLUMN last_used_at;
ALTER TABLE credentials DROP COLUMN previous_valid_until;
ALTER TABLE credentials DROP COLUMN previous_token_hash;
ALTER TABLE credentials DROP COLUMN revoked_at;
