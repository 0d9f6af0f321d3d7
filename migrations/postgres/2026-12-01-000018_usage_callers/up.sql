-- Calls per UTC day, tenant, dialect, caller, route pattern and status class, with the first
-- and last call (`rosetta usage`, migration.md). Replaces the per-minute `usage` table, whose
-- rows are kept as days with no tenant and an unknown status class. Every gateway adds its
-- in-memory counts every few seconds; days past `usage.retention` are pruned.
CREATE TABLE usage_callers (
    day          BIGINT NOT NULL,
    -- 0: a call that named no tenant (it never authenticated).
    tenant_id    BIGINT NOT NULL,
    dialect      TEXT NOT NULL,
    caller       TEXT NOT NULL,
    route        TEXT NOT NULL,
    status_class TEXT NOT NULL,
    calls        BIGINT NOT NULL,
    first_seen   BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    PRIMARY KEY (day, tenant_id, dialect, caller, route, status_class)
);
CREATE INDEX usage_callers_dialect_day ON usage_callers (dialect, day);

INSERT INTO usage_callers
    (day, tenant_id, dialect, caller, route, status_class, calls, first_seen, last_seen)
SELECT (bucket / 86400000) * 86400000, 0, dialect, credential, route, 'unknown',
       SUM(calls), MIN(bucket), MAX(bucket)
FROM usage
GROUP BY (bucket / 86400000), dialect, credential, route;

DROP TABLE usage;
