DROP INDEX IF EXISTS users_email_key_trgm_idx;
DROP INDEX IF EXISTS users_username_key_trgm_idx;
DROP INDEX IF EXISTS users_name_key_trgm_idx;
-- pg_trgm stays: it may have been there before the migration (CREATE EXTENSION IF NOT EXISTS),
-- and other objects of the database may use it.
