-- Chat notifications (a Slack-compatible webhook) go through the outbox like the Kafka records, but a webhook
-- is slow and may be down for hours: its rows are retried with backoff, each on its own schedule, and given
-- up on (failed_at) after the retry window. A breach is announced once per case and deadline.

ALTER TABLE case_outbox
  ADD COLUMN attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN last_error      text,
  ADD COLUMN failed_at       timestamptz;

DROP INDEX case_outbox_pending;
CREATE INDEX case_outbox_pending ON case_outbox (topic, next_attempt_at, id)
  WHERE published_at IS NULL AND failed_at IS NULL;

-- The deadline whose breach was announced; a case whose deadline moves (a faster queue) may be announced again.
ALTER TABLE cases ADD COLUMN breach_announced_for timestamptz;
CREATE INDEX cases_open_due ON cases (due_at) WHERE status <> 'CLOSED';
