-- The marker of an import written in short transactions (see the SQLite migration of the same
-- name). PostgreSQL keeps an import in one transaction (its stall was 380 ms, and clearing a
-- marker on 100,000 rows would be a non-HOT update rewriting every index), so these columns
-- stay NULL here: they exist so that one schema and one read filter serve both backends.
CREATE TABLE import_batches (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    -- When the flip showed the batch's users; the batch stays until its mail is released.
    shown_at     BIGINT
);

ALTER TABLE users ADD COLUMN import_batch BIGINT;
CREATE INDEX users_import_batch_idx ON users (import_batch) WHERE import_batch IS NOT NULL;

ALTER TABLE outbox ADD COLUMN import_batch BIGINT;
CREATE INDEX outbox_import_batch_idx ON outbox (import_batch) WHERE import_batch IS NOT NULL;
