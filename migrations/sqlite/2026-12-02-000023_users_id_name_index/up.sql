-- A v2 search page asked for by position (`PageNo` without a remembered start) walks every
-- matching id in id order once, counting them and keeping the page's (issue 18). This index
-- holds all that walk reads for a name term (tenant, id, name key), so it reads neither the
-- table nor a sort; it takes the place of `users_tenant_id_idx` (tenant, id), of which it is
-- a superset for every other use.
CREATE INDEX users_tenant_id_name_key_idx ON users (tenant_id, id, name_key);
DROP INDEX users_tenant_id_idx;
