-- The queue is ranked by a priority that moves with the clock, so every read computes it over the open cases:
-- expected_loss × (1 + w × (now − opened) / SLA). The two times are kept as plain numbers (epoch ms) for that
-- arithmetic, and a partial index holds exactly what the ranking reads, so it is an index-only scan of the open
-- cases (a few MB at tens of thousands) instead of a visit to each case's wide row; the page of results is then
-- read from the table by id. Closed cases, the bulk of the table, are not in it.
ALTER TABLE cases
  ADD COLUMN rank_opened_ms float8,
  ADD COLUMN rank_sla_ms    float8;
UPDATE cases SET rank_opened_ms = extract(epoch FROM opened_at) * 1000,
                 rank_sla_ms = extract(epoch FROM (due_at - opened_at)) * 1000;
ALTER TABLE cases
  ALTER COLUMN rank_opened_ms SET NOT NULL,
  ALTER COLUMN rank_sla_ms SET NOT NULL,
  ADD CONSTRAINT cases_rank_sla_positive CHECK (rank_sla_ms > 0);

CREATE INDEX cases_open_rank ON cases (queue)
  INCLUDE (id, status, rank_opened_ms, rank_sla_ms, due_at, expected_loss, claim_expires_at, snoozed_until, assignee,
           card_id)
  WHERE status <> 'CLOSED';
