DROP INDEX outbox_waiting_idx;
