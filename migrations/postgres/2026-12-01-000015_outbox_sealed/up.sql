-- Outbox bodies are sealed with security.secret_key (AES-256-GCM) before they are written, and
-- dropped once sent: an activation email carries a ticket that activates the account, and the
-- outbox was readable by anyone with the database. Rows queued before this migration keep
-- sealed = false and are sent as they are; bodies already sent are dropped here.
ALTER TABLE outbox ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT FALSE;
-- activation, reset or welcome: what an operator can still tell of a sent message (with
-- recipient, subject and sent_at). NULL for rows queued before this migration.
ALTER TABLE outbox ADD COLUMN kind TEXT;
UPDATE outbox SET body = '' WHERE sent_at IS NOT NULL;
