-- Calls counted per minute by dialect, credential label and route (`rosetta usage`). Gateways
-- add their in-memory counts every few seconds.
CREATE TABLE usage (
    bucket     BIGINT NOT NULL,
    dialect    TEXT NOT NULL,
    credential TEXT NOT NULL,
    route      TEXT NOT NULL,
    calls      BIGINT NOT NULL,
    PRIMARY KEY (bucket, dialect, credential, route)
);
