-- The sender takes waiting mail tenant by tenant (each tenant's oldest first): this index
-- finds the tenants with waiting mail and each one's oldest messages without reading the
-- messages already sent, and holds what decides whether one is due.
CREATE INDEX outbox_waiting_idx ON outbox (tenant_id, id, next_attempt_at, lease_until)
    WHERE sent_at IS NULL;
