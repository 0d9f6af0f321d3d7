-- A v2 search page asked for by position (`PageNo` without a remembered start) walks every
-- matching id in id order once, counting them and keeping the page's (issue 18). The name key
-- rides along in the index (INCLUDE), so an index-only scan serves the walk; it takes the
-- place of `users_tenant_id_idx` (tenant, id), of which it is a superset for every other use.
CREATE INDEX users_tenant_id_name_key_idx ON users (tenant_id, id) INCLUDE (name_key);
DROP INDEX users_tenant_id_idx;
