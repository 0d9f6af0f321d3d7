-- Groups as canonical entities (SCIM Groups, v2 `Groups`), with memberships in a table of
-- their own instead of a JSON list on the user: a member added through SCIM shows in v2 at
-- once, deleting a user removes its memberships and deleting a group removes it from every
-- user (the foreign keys cascade).
CREATE TABLE groups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    uuid         TEXT NOT NULL,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    -- display_name in lower case (Rust's Unicode folding, written by the gateway).
    display_key  TEXT NOT NULL,
    external_id  TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);
-- A v2 GUID names a group within its tenant only, so two tenants may hold the same one.
CREATE UNIQUE INDEX groups_tenant_uuid_idx ON groups (tenant_id, uuid);
CREATE UNIQUE INDEX groups_tenant_display_key_idx ON groups (tenant_id, display_key);
CREATE UNIQUE INDEX groups_tenant_external_id_idx ON groups (tenant_id, external_id);
CREATE INDEX groups_tenant_id_idx ON groups (tenant_id, id);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Where the group stands in the user's v2 `Groups` list, which reads back in the order
    -- it was written; a member added from the group's side comes last.
    position INTEGER NOT NULL DEFAULT 2147483647,
    PRIMARY KEY (group_id, user_id)
);
-- A user's groups (v2 `Groups`, SCIM `groups`, the user filter on membership).
CREATE INDEX group_members_user_idx ON group_members (user_id, group_id);

-- The upgrade path: every GUID in a user's stored v2 `Groups` becomes a group of the user's
-- tenant (uuid = the GUID, display name = its text) with the user as a member.
INSERT INTO groups (uuid, tenant_id, display_name, display_key, external_id, created_at, updated_at, version)
SELECT lower(j.value), u.tenant_id, lower(j.value), lower(j.value), NULL,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000, 1
FROM users u, json_each(u.group_ids) j
GROUP BY u.tenant_id, lower(j.value);

INSERT INTO group_members (group_id, user_id, position)
SELECT g.id, u.id, MIN(j.key)
FROM users u, json_each(u.group_ids) j
JOIN groups g ON g.tenant_id = u.tenant_id AND g.uuid = lower(j.value)
GROUP BY g.id, u.id;

ALTER TABLE users DROP COLUMN group_ids;

-- SCIM's displayName eq "..." (full_name, case-insensitive) seeks by index, as userName eq
-- does. name_key starts with the full name already lower-cased by the gateway.
ALTER TABLE users ADD COLUMN full_name_key TEXT NOT NULL DEFAULT '';
UPDATE users SET full_name_key = substr(name_key, 1, instr(name_key, char(10)) - 1);
CREATE INDEX users_tenant_full_name_key_idx ON users (tenant_id, full_name_key);

-- The audit log of group changes (audit_log records changes to users), written in the same
-- transaction as the change.
CREATE TABLE group_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id    BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    dialect      TEXT NOT NULL,
    action       TEXT NOT NULL,
    group_uuid   TEXT NOT NULL,
    display_name TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX group_audit_group_idx ON group_audit (tenant_id, group_uuid, id);
