CREATE TABLE usage (
    bucket     BIGINT NOT NULL,
    dialect    TEXT NOT NULL,
    credential TEXT NOT NULL,
    route      TEXT NOT NULL,
    calls      BIGINT NOT NULL,
    PRIMARY KEY (bucket, dialect, credential, route)
);

INSERT INTO usage (bucket, dialect, credential, route, calls)
SELECT day, dialect, caller, route, SUM(calls)
FROM usage_callers
GROUP BY day, dialect, caller, route;

DROP TABLE usage_callers;
