-- Revoking and rotating usr/scim tokens and v2 integration keys (rosetta credential
-- revoke|rotate, rosetta tenant rotate-key). A rotation may keep the secret it replaces valid
-- for a stated overlap: its hash moves to previous_*, valid until previous_*_valid_until.
-- Revoked: revoked_at set, every hash of the credential refused.
ALTER TABLE credentials ADD COLUMN revoked_at BIGINT;
ALTER TABLE credentials ADD COLUMN previous_token_hash TEXT;
ALTER TABLE credentials ADD COLUMN previous_valid_until BIGINT;
-- Written at most once a minute per credential and gateway, never per request.
ALTER TABLE credentials ADD COLUMN last_used_at BIGINT;
CREATE INDEX credentials_previous_token_hash_idx ON credentials (previous_token_hash);
CREATE INDEX credentials_tenant_idx ON credentials (tenant_id, id);

ALTER TABLE tenants ADD COLUMN previous_key_hash TEXT;
ALTER TABLE tenants ADD COLUMN previous_key_valid_until BIGINT;

-- The audit log of credentials and integration keys (audit_log records changes to users):
-- who revoked or rotated what, and until when a replaced secret stayed valid. Never a secret
-- or its hash.
CREATE TABLE credential_audit (
    id            INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id     BIGINT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    credential_id BIGINT,
    overlap_until BIGINT,
    at            BIGINT NOT NULL
);
CREATE INDEX credential_audit_tenant_idx ON credential_audit (tenant_id, id);
