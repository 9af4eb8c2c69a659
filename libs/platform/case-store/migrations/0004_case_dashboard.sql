-- The analysts' dashboard (GET /v1/dashboard on the case API): what it reads without scanning history.

-- Every decision the case service consumes (APPROVE included, which opens no case), counted per hour of its
-- decided_at and outcome. Written once per consumed batch, grouped in memory, adding to the hour's row
-- (INSERT … ON CONFLICT DO UPDATE). A dashboard rollup, not a ledger: a batch redelivered after a crash between
-- this write and the offset commit is counted twice (the audit log holds the exact record of every decision).
CREATE TABLE decision_stats (
  hour        timestamptz NOT NULL CHECK (hour = date_bin('1 hour', hour, timestamptz 'epoch')),
  outcome     text        NOT NULL CHECK (outcome IN ('APPROVE', 'REVIEW', 'BLOCK')),
  decisions   bigint      NOT NULL CHECK (decisions >= 0),
  -- The decisions' amounts in major units of the policy's reference currency, those with a reference rate.
  amount      numeric     NOT NULL CHECK (amount >= 0),
  -- Decisions whose currency has no reference rate: counted in `decisions`, not in `amount`.
  unconverted bigint      NOT NULL CHECK (unconverted >= 0),
  PRIMARY KEY (hour, outcome)
);

-- The precision of dispositions per rule and per score band reads, for each closed case, its alerts' rule ids
-- and score: kept as columns computed from the stored decision, so the dashboard does not open the documents.
ALTER TABLE case_alerts
  ADD COLUMN rule_ids jsonb GENERATED ALWAYS AS (
    jsonb_path_query_array(decision, '$.reasons[*] ? (@.kind == "RULE").code')) STORED,
  ADD COLUMN score integer GENERATED ALWAYS AS ((decision ->> 'score')::integer) STORED;
-- The case file reads a case's alerts in order (as before); the dashboard reads the two columns from the index.
DROP INDEX case_alerts_case;
CREATE INDEX case_alerts_case ON case_alerts (case_id, decided_at) INCLUDE (score, rule_ids);

-- Closed cases by when they closed, with what the dashboard counts of them (dispositions and approvals per
-- analyst, time to disposition, the cases whose alerts' precision is measured): an index-only scan of the
-- window's closures. Replaces cases_closed_at.
DROP INDEX cases_closed_at;
CREATE INDEX cases_closed_work ON cases (closed_at)
  INCLUDE (id, opened_at, disposition, decided_by, approved_by)
  WHERE status = 'CLOSED';

-- SLA breaches over time: every case by its deadline, closed or not, with when it closed (breached = not closed
-- by its deadline).
CREATE INDEX cases_due_closed ON cases (due_at) INCLUDE (closed_at);
