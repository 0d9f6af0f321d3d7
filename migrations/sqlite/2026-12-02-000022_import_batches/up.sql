-- A big import written in short transactions (issue 17, defect 4). On SQLite a 100,000-row
-- import in one transaction held the database's one writer for about 4 s; instead its users
-- are written about 1,000 at a time, each carrying the id of their batch in
-- `users.import_batch`, and every read of users leaves such rows out. One short transaction
-- then clears the marker (the commit point: the users appear at once); the batch is deleted
-- once its mail is released.
-- An import that fails removes its rows; a gateway that died mid-import leaves its batch
-- behind, and the background sweep removes a batch whose heartbeat (written with every
-- chunk) has gone stale. PostgreSQL keeps one transaction: there the column stays NULL.
CREATE TABLE import_batches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    -- When the flip showed the batch's users; the batch stays until its mail is released.
    shown_at     BIGINT
);

-- No REFERENCES: the flip clears the marker before it deletes the batch, and a foreign key
-- would cost a look-up per inserted row. Partial indexes: they hold only pending rows, so
-- they cost nothing to ordinary writes, and the flip, the removal and the sweep find a
-- batch's rows without scanning.
ALTER TABLE users ADD COLUMN import_batch BIGINT;
CREATE INDEX users_import_batch_idx ON users (import_batch) WHERE import_batch IS NOT NULL;

-- The activation mail of a pending user: written with a lease that never runs out, so the
-- sender's due and claim filters (over outbox_waiting_idx) pass it by unchanged. After the
-- flip its lease and marker are dropped a chunk per transaction (in the flip they were 60% of
-- its time), and then the batch is deleted.
ALTER TABLE outbox ADD COLUMN import_batch BIGINT;
CREATE INDEX outbox_import_batch_idx ON outbox (import_batch) WHERE import_batch IS NOT NULL;
