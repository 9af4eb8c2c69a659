-- The audit log: an append-only, hash-chained record of every decision, case action and label.
-- Applied by @argus/pg migrate() inside one transaction; unqualified names land in the search_path schema.

CREATE TABLE audit_log (
  seq            bigint      PRIMARY KEY CHECK (seq > 0),
  event_type     text        NOT NULL,
  transaction_id text        NOT NULL,
  card_id        text        NOT NULL,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL,
  prev_hash      char(64)    NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash           char(64)    NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
  -- The canonical JSON that was hashed. The columns above are unhashed copies for indexing;
  -- verification checks that they agree with it.
  record         text        NOT NULL,
  -- The entry's payload (a Decision, a case action, a Label) as jsonb, for ad-hoc compliance queries.
  -- jsonb refuses the escape \u0000 that JSON allows; mapping it to U+FFFD here keeps one odd string from
  -- making an event impossible to store. The hashed record keeps the original.
  payload        jsonb       GENERATED ALWAYS AS ((replace(record, '\u0000', '\ufffd')::jsonb) -> 'payload') STORED,
  -- Idempotency: a redelivered event never writes a second row.
  CONSTRAINT audit_log_transaction_event_key UNIQUE (transaction_id, event_type)
);

COMMENT ON TABLE audit_log IS
  'Append-only hash chain: hash = sha256(prev_hash || E''\n'' || seq || E''\n'' || record). UPDATE, DELETE and TRUNCATE are refused by trigger. Verify with `argus audit verify`.';

-- "Everything about this transaction" is served by audit_log_transaction_event_key (transaction_id leads).
-- "Everything on this card between two dates":
CREATE INDEX audit_log_card_occurred_idx ON audit_log (card_id, occurred_at);
-- "Everything recorded in March" (exports, retention): rows arrive in recorded_at order, so a BRIN index
-- is a few pages instead of a B-tree the size of the table.
CREATE INDEX audit_log_recorded_brin ON audit_log USING brin (recorded_at);

-- The chain head: one row, locked FOR UPDATE by every append so that appenders take seqs one after another.
CREATE TABLE audit_chain_head (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  seq        bigint      NOT NULL CHECK (seq >= 0),
  hash       char(64)    CHECK (hash ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((seq = 0) = (hash IS NULL))
);

INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, NULL);

-- The database itself refuses to change history, whoever asks (short of the table owner disabling the
-- trigger or a superuser bypassing triggers: see README, "Roles").
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit rows are never changed or removed; append a correcting event instead.';
END;
$$;

-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- The head only moves forward, and never disappears.
CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_chain_head: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id <> OLD.id OR NEW.seq < OLD.seq THEN
    RAISE EXCEPTION 'audit_chain_head may only move forward (seq % to %)', OLD.seq, NEW.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_chain_head_forward_only
  BEFORE UPDATE OR DELETE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only();

CREATE TRIGGER audit_chain_head_no_truncate
  BEFORE TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward_only();

-- Least privilege for a real deployment: migrations run as the owner role; the audit service connects as
-- argus_audit_app, which may only read and append. Nothing happens here if that role does not exist
-- (development, tests); create it first and re-grant with the same statements (see README, "Roles").
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'argus_audit_app') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO argus_audit_app', current_schema());
    REVOKE ALL ON audit_log, audit_chain_head FROM argus_audit_app;
    GRANT SELECT, INSERT ON audit_log TO argus_audit_app;
    GRANT SELECT, UPDATE ON audit_chain_head TO argus_audit_app;
    -- So that AuditStore.migrate() run by the service only checks, finding nothing to do.
    IF to_regclass('audit_migrations') IS NOT NULL THEN
      GRANT SELECT ON audit_migrations TO argus_audit_app;
    END IF;
  END IF;
END;
$$;
