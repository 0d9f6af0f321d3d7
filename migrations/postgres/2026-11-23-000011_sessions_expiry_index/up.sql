-- Expired sessions are swept on every login; without this the sweep reads the whole table.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
