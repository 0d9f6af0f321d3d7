DROP INDEX sessions_expires_idx;
