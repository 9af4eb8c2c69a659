-- The precision of dispositions per rule and per score band, without joining every closed case to its alerts:
-- at 1 M cases a 30-day window joined ~1 M alerts (seconds). Each case, when it closes, adds its alerts to an
-- hourly rollup (hour of closed_at, rule or score, disposition), in the transaction that closes it — exact,
-- unlike decision_stats: a redelivered decision does not close a case twice.

-- One row per alert of a closed case and per thing it is counted under: each rule that fired on it, and its
-- score ('' when no model took part). The dashboard's definition of "what a disposition says about an alert".
CREATE VIEW closed_alert_facts AS
  SELECT c.id AS case_id, date_bin('1 hour', c.closed_at, timestamptz 'epoch') AS hour, k.kind, k.key, c.disposition
    FROM cases c
    JOIN case_alerts a ON a.case_id = c.id
    CROSS JOIN LATERAL (
      SELECT 'rule', r FROM jsonb_array_elements_text(a.rule_ids) AS r
      UNION ALL
      SELECT 'score', coalesce(a.score::text, '')) AS k(kind, key)
   WHERE c.status = 'CLOSED' AND c.disposition IS NOT NULL;

CREATE TABLE disposition_stats (
  hour        timestamptz NOT NULL CHECK (hour = date_bin('1 hour', hour, timestamptz 'epoch')),
  kind        text        NOT NULL CHECK (kind IN ('rule', 'score')),
  -- The rule id, or the score 0–100 as text ('' for unscored): bands are the reader's (SCORE_BANDS).
  key         text        NOT NULL,
  disposition text        NOT NULL,
  alerts      bigint      NOT NULL CHECK (alerts >= 0),
  PRIMARY KEY (hour, kind, key, disposition)
);

-- Rows are upserted in key order, so two closings that touch the same rows lock them in the same order (no
-- deadlock).
CREATE FUNCTION count_closed_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO disposition_stats (hour, kind, key, disposition, alerts)
  SELECT hour, kind, key, disposition, count(*) FROM closed_alert_facts WHERE case_id = NEW.id
   GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (hour, kind, key, disposition) DO UPDATE SET alerts = disposition_stats.alerts + EXCLUDED.alerts;
  RETURN NULL;
END $$;

-- Deferred to the commit: a case inserted closed (or closed in the transaction that adds its last alert) is
-- counted with all its alerts.
CREATE CONSTRAINT TRIGGER cases_closed_inserted AFTER INSERT ON cases
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'CLOSED')
  EXECUTE FUNCTION count_closed_case();
CREATE CONSTRAINT TRIGGER cases_closed_updated AFTER UPDATE OF status ON cases
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'CLOSED' AND OLD.status <> 'CLOSED')
  EXECUTE FUNCTION count_closed_case();

INSERT INTO disposition_stats (hour, kind, key, disposition, alerts)
SELECT hour, kind, key, disposition, count(*) FROM closed_alert_facts GROUP BY 1, 2, 3, 4;
