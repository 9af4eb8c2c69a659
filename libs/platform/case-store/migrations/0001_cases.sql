-- Analyst cases (the case service). Applied by @argus/pg migrate() inside one transaction, table
-- case_migrations. Unqualified names land in the search_path schema.

-- One row per case. The columns are what the queue sorts and filters on and what the database must enforce;
-- `doc` is the whole case as the case service's domain model holds it (its alerts included).
CREATE TABLE cases (
  id                uuid        PRIMARY KEY,
  card_id           text        NOT NULL,
  customer_id       text        NOT NULL,
  queue             text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('OPEN', 'CLAIMED', 'SNOOZED', 'PENDING_APPROVAL', 'CLOSED')),
  opened_at         timestamptz NOT NULL,
  due_at            timestamptz NOT NULL CHECK (due_at > opened_at),
  assignee          text,
  claim_expires_at  timestamptz,
  snoozed_until     timestamptz,
  escalated         boolean     NOT NULL DEFAULT false,
  -- Expected loss (probability × amount at risk, reference currency) of the open alerts, kept by the
  -- service on every change; the queue's priority adds the SLA term at query time (see CaseStore).
  expected_loss     float8      NOT NULL CHECK (expected_loss >= 0),
  amount_at_risk    float8      NOT NULL CHECK (amount_at_risk >= 0),
  alert_count       integer     NOT NULL CHECK (alert_count > 0),
  max_score         integer,
  -- The disposition, who made it and who approved it.
  disposition       text        CHECK (disposition IN ('CONFIRMED_FRAUD', 'LEGITIMATE', 'INCONCLUSIVE')),
  reason_code       text,
  decided_by        text,
  approved_by       text,
  -- Who proposed the disposition waiting for approval (PENDING_APPROVAL).
  pending_by        text,
  closed_at         timestamptz,
  version           integer     NOT NULL CHECK (version > 0),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  doc               jsonb       NOT NULL,
  CONSTRAINT cases_claim_has_assignee CHECK (status <> 'CLAIMED' OR (assignee IS NOT NULL AND claim_expires_at IS NOT NULL)),
  CONSTRAINT cases_closed_has_disposition CHECK ((status = 'CLOSED') = (disposition IS NOT NULL AND closed_at IS NOT NULL)),
  CONSTRAINT cases_pending_has_maker CHECK ((status = 'PENDING_APPROVAL') = (pending_by IS NOT NULL)),
  -- Four eyes: whoever made a disposition cannot approve it, whatever the service does.
  CONSTRAINT cases_four_eyes CHECK (approved_by IS NULL OR approved_by <> decided_by)
);

-- One open case per card: a later alert on the card joins the open case, and two intakes racing on one card
-- cannot both open one.
CREATE UNIQUE INDEX cases_one_open_per_card ON cases (card_id) WHERE status <> 'CLOSED';

-- The queues: only cases not closed, by queue; "take next" and the list sort these few rows by priority.
CREATE INDEX cases_open_by_queue ON cases (queue, due_at) WHERE status <> 'CLOSED';
CREATE INDEX cases_open_by_assignee ON cases (assignee) WHERE status <> 'CLOSED';
-- History: closed cases by when they closed (dashboards, precision of dispositions).
CREATE INDEX cases_closed_at ON cases (closed_at) WHERE status = 'CLOSED';
CREATE INDEX cases_customer ON cases (customer_id, opened_at);

-- Which case a transaction's alert joined: a chargeback or a step-up result finds its case here. A
-- transaction is in one case at most.
CREATE TABLE case_alerts (
  transaction_id text        PRIMARY KEY,
  case_id        uuid        NOT NULL REFERENCES cases (id),
  decided_at     timestamptz NOT NULL,
  outcome        text        NOT NULL CHECK (outcome IN ('REVIEW', 'BLOCK')),
  -- The decision as it arrived on `decisions` (reasons, score, factors, the transaction).
  decision       jsonb       NOT NULL
);
CREATE INDEX case_alerts_case ON case_alerts (case_id, decided_at);

-- Everything that happened to a case, in order: the case view's timeline. The audit chain holds the same
-- events, hash-linked (the audit service appends them from `case-events`).
CREATE TABLE case_events (
  event_id       text        PRIMARY KEY,
  case_id        uuid        NOT NULL REFERENCES cases (id),
  seq            integer     NOT NULL CHECK (seq > 0),
  type           text        NOT NULL,
  actor          text        NOT NULL,
  at             timestamptz NOT NULL,
  transaction_id text,
  details        jsonb       NOT NULL,
  UNIQUE (case_id, seq)
);
CREATE INDEX case_events_at ON case_events (at);

-- The transactional outbox: what the service must publish (case-events, labels, alerts), written in the same
-- transaction as the change it reports, published afterwards by the relay and then marked. A crash between
-- publishing and marking publishes a record again: every record carries an id its consumers de-duplicate on.
CREATE TABLE case_outbox (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic        text        NOT NULL,
  message_key  text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX case_outbox_pending ON case_outbox (id) WHERE published_at IS NULL;

-- The people who work cases. Passwords are scrypt hashes (never the password); a disabled user cannot log in.
CREATE TABLE case_users (
  id            text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name  text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('analyst', 'supervisor', 'admin')),
  password_hash text        NOT NULL,
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
