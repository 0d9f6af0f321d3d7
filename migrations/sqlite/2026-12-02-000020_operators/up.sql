-- Operators of the console (migration.md "Operator console"): people who run the gateway,
-- not users of any tenant, so a table of their own. username_key is the case-folded name the
-- login looks up. Failed logins are counted in login_failures (tenant_id -1, the operators'
-- scope), with the tenant logins' lockout policy.
CREATE TABLE operators (
    id            INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_login_at BIGINT
);
CREATE UNIQUE INDEX operators_username_key_idx ON operators (username_key);

-- A console session: only the SHA-256 of its cookie's token is kept. csrf_token is the
-- session's CSRF secret, written into its forms (useless without the cookie it belongs to).
CREATE TABLE operator_sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    operator_id  BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX operator_sessions_expires_idx ON operator_sessions (expires_at);
