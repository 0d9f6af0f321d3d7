DROP INDEX IF EXISTS outbox_import_batch_idx;
ALTER TABLE outbox DROP COLUMN import_batch;
DROP INDEX IF EXISTS users_import_batch_idx;
ALTER TABLE users DROP COLUMN import_batch;
DROP TABLE IF EXISTS import_batches;
