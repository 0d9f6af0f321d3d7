-- Times are milliseconds since the Unix epoch (BIGINT) on both backends, so one schema.rs of
-- portable types serves SQLite and PostgreSQL alike.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name                 TEXT NOT NULL,
    integration_key_hash TEXT NOT NULL,
    created_at           BIGINT NOT NULL
);

CREATE TABLE roles (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    name      TEXT NOT NULL,
    admin     BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, number)
);

CREATE TABLE users (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    uuid                     TEXT NOT NULL,
    tenant_id                BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username                 TEXT NOT NULL,
    username_key             TEXT NOT NULL,
    email                    TEXT NOT NULL,
    email_key                TEXT NOT NULL,
    full_name                TEXT NOT NULL,
    first_name               TEXT NOT NULL,
    last_name                TEXT NOT NULL,
    name_key                 TEXT NOT NULL,
    status                   TEXT NOT NULL,
    role_number              INTEGER NOT NULL,
    perms                    TEXT NOT NULL DEFAULT '[]',
    website_role             TEXT,
    default_account_id       BIGINT,
    external_id              TEXT,
    employee_id              TEXT,
    contact_number           TEXT,
    license_number           TEXT,
    license_expiry_month     TEXT,
    license_expiry_year      TEXT,
    license_type             TEXT,
    license_country          TEXT,
    cost_centre_id           TEXT,
    activated_via_company_id TEXT,
    license_types            TEXT NOT NULL DEFAULT '[]',
    branch_ids               TEXT NOT NULL DEFAULT '[]',
    group_ids                TEXT NOT NULL DEFAULT '[]',
    folder_ids               TEXT NOT NULL DEFAULT '[]',
    devices                  TEXT NOT NULL DEFAULT '[]',
    password_hash            TEXT,
    memorable_word_enc       TEXT,
    password_expired         BOOLEAN NOT NULL DEFAULT 0,
    failed_logins            INTEGER NOT NULL DEFAULT 0,
    locked_until             BIGINT,
    last_login_at            BIGINT,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL,
    version                  BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_uuid_idx ON users (uuid);
CREATE UNIQUE INDEX users_tenant_username_key_idx ON users (tenant_id, username_key);
CREATE UNIQUE INDEX users_tenant_email_key_idx ON users (tenant_id, email_key);
CREATE UNIQUE INDEX users_tenant_external_id_idx ON users (tenant_id, external_id);
CREATE INDEX users_tenant_id_idx ON users (tenant_id, id);
CREATE INDEX users_tenant_status_idx ON users (tenant_id, status, id);
CREATE INDEX users_tenant_account_idx ON users (tenant_id, default_account_id, id);
CREATE INDEX users_username_key_idx ON users (username_key);
CREATE INDEX users_email_key_idx ON users (email_key);

CREATE TABLE credentials (
    id         INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id  BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    dialect    TEXT NOT NULL,
    name       TEXT,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX credentials_token_hash_idx ON credentials (token_hash);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id    BIGINT NOT NULL,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dialect      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    data         TEXT,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX sessions_token_hash_idx ON sessions (token_hash);
CREATE INDEX sessions_user_idx ON sessions (user_id, kind, expires_at);

CREATE TABLE tickets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id  BIGINT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    void       BOOLEAN NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tickets_token_hash_idx ON tickets (token_hash);
CREATE INDEX tickets_user_idx ON tickets (user_id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id  BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    dialect    TEXT NOT NULL,
    action     TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    user_uuid  TEXT NOT NULL,
    user_email TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX audit_log_tenant_action_idx ON audit_log (tenant_id, action, id);
CREATE INDEX audit_log_user_idx ON audit_log (tenant_id, user_id, id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id       BIGINT NOT NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due_idx ON outbox (sent_at, next_attempt_at);
