-- keaz assets (JSON held by a user under a tag) and bookings of assets by a user. Both go with
-- their user: deleting the user deletes them.
CREATE TABLE user_assets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id  BIGINT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_assets_user_tag_idx ON user_assets (user_id, tag);

CREATE TABLE bookings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id  BIGINT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    asset      TEXT NOT NULL,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX bookings_user_start_idx ON bookings (user_id, starts_at);
