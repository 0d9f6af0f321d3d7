-- Substring search by index (issue 18): the v2 `Name` search and the query model's co/sw/ew
-- (SCIM filters) on names, usernames and emails are LIKE patterns over the folded keys;
-- pg_trgm's GIN operator class answers LIKE '%term%' (and 'term%', '%term') from the trigrams
-- of the term, and the planner rechecks the pattern on the rows it finds. A term of fewer than
-- three characters has no trigram: those searches keep the (tenant_id, name_key) index walk.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX users_name_key_trgm_idx ON users USING gin (name_key gin_trgm_ops);
CREATE INDEX users_username_key_trgm_idx ON users USING gin (username_key gin_trgm_ops);
CREATE INDEX users_email_key_trgm_idx ON users USING gin (email_key gin_trgm_ops);
