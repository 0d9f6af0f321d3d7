-- Failed logins counted per login name, whether or not a user has that name, so that an
-- unknown name is locked after five failures like a known one (kashflow.md) and every replica
-- sees the same count. tenant_id is 0 for the logins that name no tenant (kashflow's
-- /sessiontoken and keaz's /login find the tenant from the user). name_hash is the SHA-256 of
-- the name's kind and case-folded text: no typed name (nor a password typed into it) is kept.
CREATE TABLE login_failures (
    tenant_id    BIGINT NOT NULL,
    name_hash    TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until BIGINT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, name_hash)
);
