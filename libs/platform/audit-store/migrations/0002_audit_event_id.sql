-- Many events per transaction: a case is claimed, viewed, noted and disposed of, all about the same
-- transaction. An event may carry its own id (hashed in its record); one without an id is identified, as
-- before, by its type and transaction. That key, not (transaction_id, event_type), now makes a redelivered
-- event a duplicate. Existing rows keep their hashes: their records have no event_id.

ALTER TABLE audit_log ADD COLUMN event_id text CHECK (event_id <> '');

ALTER TABLE audit_log DROP CONSTRAINT audit_log_transaction_event_key;

-- Idempotency: one row per event key (the expression AuditStore.append looks duplicates up by).
CREATE UNIQUE INDEX audit_log_event_key ON audit_log ((coalesce(event_id, event_type || ':' || transaction_id)));

-- "Everything about this transaction", in chain order (the unique constraint used to serve it).
CREATE INDEX audit_log_transaction_idx ON audit_log (transaction_id, seq);
