-- v2 search counts every user whose name holds a substring (`TotalRows`). A substring cannot
-- use an index to seek, but this one holds the column the LIKE reads, so the count scans a
-- narrow index instead of every full user row.
CREATE INDEX users_tenant_name_key_idx ON users (tenant_id, name_key);
