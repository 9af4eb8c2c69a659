import { CaseStoreError, CaseStoreErrorCode } from './case-store.errors';

// The analysts' dashboard (GET /v1/dashboard): decisions over time from the hourly rollup, the queues as they
// are now, SLA breaches, analysts' throughput and the precision of dispositions per rule and score band. Every
// query reads an index: decision_stats by hour, cases_open_rank (the open cases), cases_due_closed (deadlines),
// cases_closed_work (the window's closures) and case_alerts_case (their alerts' score and rule ids). Times are
// epoch milliseconds, buckets UTC.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const MAX_DASHBOARD_HOURS = 720;
/** Windows longer than this are bucketed by day. */
export const HOURLY_UP_TO_HOURS = 72;

export type DashboardBucket = 'hour' | 'day';
export type DecisionOutcome = 'APPROVE' | 'REVIEW' | 'BLOCK';

export interface DashboardWindow {
  readonly hours: number;
  readonly bucket: DashboardBucket;
  readonly bucketMs: number;
  /** now − hours. */
  readonly since: number;
  /** The first bucket's start: `since` rounded down to its bucket, so every bucket is whole. */
  readonly from: number;
  /** The query's clock; the last bucket holds it. */
  readonly now: number;
  /** Each bucket's start, oldest first. */
  readonly starts: readonly number[];
}

export const bucketStart = (ms: number, bucketMs: number): number => Math.floor(ms / bucketMs) * bucketMs;

/** The window of the last `hours` hours at `now`: hourly buckets, daily ones beyond 72 hours. */
export function dashboardWindow(now: number, hours: number): DashboardWindow {
  if (!Number.isSafeInteger(hours) || hours < 1 || hours > MAX_DASHBOARD_HOURS)
    throw new CaseStoreError(
      CaseStoreErrorCode.INVALID_ARGUMENT,
      `hours must be 1–${MAX_DASHBOARD_HOURS}, got ${hours}`,
    );
  const bucket: DashboardBucket = hours > HOURLY_UP_TO_HOURS ? 'day' : 'hour';
  const bucketMs = bucket === 'day' ? DAY_MS : HOUR_MS;
  const since = now - hours * HOUR_MS;
  const from = bucketStart(since, bucketMs);
  const count = (bucketStart(now, bucketMs) - from) / bucketMs + 1;
  const starts = Array.from({ length: count }, (_, i) => from + i * bucketMs);
  return { hours, bucket, bucketMs, since, from, now, starts };
}

/** The score bands risk teams tune with; an alert without a score (no model took part) is `unscored`. */
export const SCORE_BANDS = [
  { band: '0-49', min: 0, max: 49 },
  { band: '50-69', min: 50, max: 69 },
  { band: '70-84', min: 70, max: 84 },
  { band: '85-94', min: 85, max: 94 },
  { band: '95-100', min: 95, max: 100 },
] as const;
export const UNSCORED = 'unscored';
export type ScoreBand = (typeof SCORE_BANDS)[number]['band'] | typeof UNSCORED;

export function scoreBand(score: number | null): ScoreBand {
  if (score === null || !Number.isFinite(score)) return UNSCORED;
  return (SCORE_BANDS.find((band) => score <= band.max) ?? SCORE_BANDS[SCORE_BANDS.length - 1]).band;
}

/** fraud / (fraud + legitimate); null when neither was decided. Inconclusive dispositions are not in it. */
export function precision(confirmedFraud: number, legitimate: number): number | null {
  const decided = confirmedFraud + legitimate;
  return decided === 0 ? null : confirmedFraud / decided;
}

/** One consumed decision, as the rollup counts it. */
export interface DecisionFact {
  readonly decidedAt: number;
  readonly outcome: DecisionOutcome;
  /** In major units of the reference currency; null when the currency has no reference rate. */
  readonly amount: number | null;
}

/** One row of decision_stats: an hour's decisions of one outcome. */
export interface DecisionStatRow {
  readonly hour: number;
  readonly outcome: DecisionOutcome;
  readonly decisions: number;
  readonly amount: number;
  readonly unconverted: number;
}

/** A batch's decisions grouped per hour and outcome, in key order (concurrent upserts lock rows in one order). */
export function rollupDecisions(facts: readonly DecisionFact[]): DecisionStatRow[] {
  const rows = new Map<string, { -readonly [K in keyof DecisionStatRow]: DecisionStatRow[K] }>();
  for (const fact of facts) {
    const hour = bucketStart(fact.decidedAt, HOUR_MS);
    const key = `${hour}|${fact.outcome}`;
    const row = rows.get(key) ?? { hour, outcome: fact.outcome, decisions: 0, amount: 0, unconverted: 0 };
    row.decisions += 1;
    if (fact.amount === null) row.unconverted += 1;
    else row.amount += fact.amount;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.hour - b.hour || a.outcome.localeCompare(b.outcome));
}

export interface OutcomeBucket {
  readonly start: number;
  readonly approve: number;
  readonly review: number;
  readonly block: number;
  /** Reference-currency amount of the bucket's decisions (those with a rate). */
  readonly amount: number;
  readonly unconverted: number;
}

export interface QueueNow {
  readonly queue: string;
  /** Not closed: the backlog. */
  readonly open: number;
  /** Held by an analyst whose claim has not run out. */
  readonly claimed: number;
  readonly snoozed: number;
  readonly pendingApproval: number;
  /** Past their due time. */
  readonly breached: number;
  readonly oldestOpenedAt: number | null;
  readonly ages: {
    readonly under1h: number;
    readonly from1hTo4h: number;
    readonly from4hTo24h: number;
    readonly over24h: number;
  };
}

export interface AnalystBucket {
  readonly start: number;
  readonly analyst: string;
  readonly dispositions: number;
  readonly approvals: number;
}

export interface AnalystTotal {
  readonly analyst: string;
  readonly dispositions: number;
  readonly approvals: number;
  /** Median time from a case's opening to its closing on this analyst's disposition; null without one. */
  readonly medianMsToDisposition: number | null;
}

export interface PrecisionRow {
  readonly key: string;
  readonly alerts: number;
  readonly confirmedFraud: number;
  readonly legitimate: number;
  readonly inconclusive: number;
  readonly precision: number | null;
}

export interface DashboardData {
  readonly window: DashboardWindow;
  readonly decisions: readonly OutcomeBucket[];
  readonly queues: readonly QueueNow[];
  readonly breaches: readonly { readonly start: number; readonly breached: number }[];
  readonly analysts: {
    readonly buckets: readonly AnalystBucket[];
    readonly totals: readonly AnalystTotal[];
    readonly medianMsToDisposition: number | null;
  };
  readonly precision: { readonly byRule: readonly PrecisionRow[]; readonly byScoreBand: readonly PrecisionRow[] };
}

/** How the store runs a statement (its errors already mapped to CaseStoreError). */
export type DashboardQuery = <R extends object>(
  name: string,
  text: string,
  values?: readonly unknown[],
) => Promise<{ rows: R[] }>;

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
const at = (param: string) => `(timestamptz 'epoch' + ${param}::float8 * interval '1 millisecond')`;
const bucketOf = (column: string, bucketParam: string) =>
  `floor(${ms(column)} / ${bucketParam}::float8) * ${bucketParam}::float8`;

/** Adds a batch's rollup to decision_stats: one statement, adding to the hours already there. */
export async function upsertDecisionStats(query: DashboardQuery, rows: readonly DecisionStatRow[]): Promise<void> {
  if (rows.length === 0) return;
  await query(
    'case.decision_stats',
    `INSERT INTO decision_stats (hour, outcome, decisions, amount, unconverted)
     SELECT ${at('h')}, o, d, a, u
       FROM unnest($1::float8[], $2::text[], $3::bigint[], $4::numeric[], $5::bigint[]) WITH ORDINALITY AS r(h, o, d, a, u, n)
      ORDER BY n
     ON CONFLICT (hour, outcome) DO UPDATE SET decisions = decision_stats.decisions + EXCLUDED.decisions,
       amount = decision_stats.amount + EXCLUDED.amount, unconverted = decision_stats.unconverted + EXCLUDED.unconverted`,
    [
      rows.map((row) => row.hour),
      rows.map((row) => row.outcome),
      rows.map((row) => row.decisions),
      rows.map((row) => row.amount),
      rows.map((row) => row.unconverted),
    ],
  );
}

/** Every panel of the dashboard for `window`; the queries run side by side. */
export async function readDashboard(query: DashboardQuery, window: DashboardWindow): Promise<DashboardData> {
  const [decisions, queues, breaches, analysts, precisionRows] = await Promise.all([
    readDecisions(query, window),
    readQueues(query, window.now),
    readBreaches(query, window),
    readAnalysts(query, window),
    readPrecision(query, window),
  ]);
  return { window, decisions, queues, breaches, analysts, precision: precisionRows };
}

async function readDecisions(query: DashboardQuery, window: DashboardWindow): Promise<OutcomeBucket[]> {
  const { rows } = await query<{
    bucket: number;
    outcome: DecisionOutcome;
    decisions: number;
    amount: number;
    unconverted: number;
  }>(
    'case.dashboard_decisions',
    `SELECT ${bucketOf('hour', '$3')} AS bucket, outcome, sum(decisions)::float8 AS decisions,
            sum(amount)::float8 AS amount, sum(unconverted)::float8 AS unconverted
       FROM decision_stats WHERE hour >= ${at('$1')} AND hour <= ${at('$2')}
      GROUP BY 1, 2`,
    [window.from, window.now, window.bucketMs],
  );
  const buckets = new Map(
    window.starts.map((start) => [start, { start, approve: 0, review: 0, block: 0, amount: 0, unconverted: 0 }]),
  );
  for (const row of rows) {
    const bucket = buckets.get(Number(row.bucket));
    if (bucket === undefined) continue;
    bucket[row.outcome === 'APPROVE' ? 'approve' : row.outcome === 'REVIEW' ? 'review' : 'block'] += Number(
      row.decisions,
    );
    bucket.amount += Number(row.amount);
    bucket.unconverted += Number(row.unconverted);
  }
  return [...buckets.values()];
}

/** The open cases per queue, from the covering index of the open cases (cases_open_rank) alone. */
async function readQueues(query: DashboardQuery, now: number): Promise<QueueNow[]> {
  const { rows } = await query<{
    queue: string;
    open: string;
    claimed: string;
    snoozed: string;
    pending: string;
    breached: string;
    oldest: number | null;
    under_1h: string;
    h1_4: string;
    h4_24: string;
    over_24h: string;
  }>(
    'case.dashboard_queues',
    `SELECT queue, count(*) AS open,
            count(*) FILTER (WHERE status = 'CLAIMED' AND claim_expires_at > ${at('$1')}) AS claimed,
            count(*) FILTER (WHERE status = 'SNOOZED' AND snoozed_until > ${at('$1')}) AS snoozed,
            count(*) FILTER (WHERE status = 'PENDING_APPROVAL') AS pending,
            count(*) FILTER (WHERE due_at < ${at('$1')}) AS breached,
            min(rank_opened_ms) AS oldest,
            count(*) FILTER (WHERE $1::float8 - rank_opened_ms < ${HOUR_MS}) AS under_1h,
            count(*) FILTER (WHERE $1::float8 - rank_opened_ms >= ${HOUR_MS}
                               AND $1::float8 - rank_opened_ms < ${4 * HOUR_MS}) AS h1_4,
            count(*) FILTER (WHERE $1::float8 - rank_opened_ms >= ${4 * HOUR_MS}
                               AND $1::float8 - rank_opened_ms < ${DAY_MS}) AS h4_24,
            count(*) FILTER (WHERE $1::float8 - rank_opened_ms >= ${DAY_MS}) AS over_24h
       FROM cases WHERE status <> 'CLOSED'
      GROUP BY queue ORDER BY queue`,
    [now],
  );
  return rows.map((row) => ({
    queue: row.queue,
    open: Number(row.open),
    claimed: Number(row.claimed),
    snoozed: Number(row.snoozed),
    pendingApproval: Number(row.pending),
    breached: Number(row.breached),
    oldestOpenedAt: row.oldest === null ? null : Number(row.oldest),
    ages: {
      under1h: Number(row.under_1h),
      from1hTo4h: Number(row.h1_4),
      from4hTo24h: Number(row.h4_24),
      over24h: Number(row.over_24h),
    },
  }));
}

/** Cases whose deadline fell in a bucket (and has passed) while they were not closed by then. */
async function readBreaches(query: DashboardQuery, window: DashboardWindow) {
  const { rows } = await query<{ bucket: number; breached: string }>(
    'case.dashboard_breaches',
    `SELECT ${bucketOf('due_at', '$3')} AS bucket, count(*) AS breached
       FROM cases
      WHERE due_at >= ${at('$1')} AND due_at < ${at('$2')} AND (closed_at IS NULL OR closed_at > due_at)
      GROUP BY 1`,
    [window.from, window.now, window.bucketMs],
  );
  const counts = new Map(rows.map((row) => [Number(row.bucket), Number(row.breached)]));
  return window.starts.map((start) => ({ start, breached: counts.get(start) ?? 0 }));
}

/** The window's closures (cases_closed_work, index only): in the window, by the analysts who made them. */
const closedInWindow = (alias = '') =>
  `${alias}status = 'CLOSED' AND ${alias}closed_at >= ${at('$1')} AND ${alias}closed_at <= ${at('$2')}`;

/**
 * Dispositions per analyst (who made the disposition a case closed on; the system's, passed step-ups, are
 * not an analyst's) and approvals (who approved one), per bucket of the closing, and the median time from
 * opening to closing.
 */
async function readAnalysts(query: DashboardQuery, window: DashboardWindow): Promise<DashboardData['analysts']> {
  const [perBucket, medians] = await Promise.all([
    query<{ bucket: number; analyst: string; dispositions: string; approvals: string }>(
      'case.dashboard_analysts',
      `WITH closed AS (SELECT closed_at, decided_by, approved_by FROM cases WHERE ${closedInWindow()})
       SELECT ${bucketOf('closed_at', '$3')} AS bucket, analyst, sum(d) AS dispositions, sum(a) AS approvals
         FROM (SELECT closed_at, decided_by AS analyst, 1 AS d, 0 AS a FROM closed WHERE decided_by <> 'system'
               UNION ALL
               SELECT closed_at, approved_by, 0, 1 FROM closed WHERE approved_by IS NOT NULL) work
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [window.from, window.now, window.bucketMs],
    ),
    query<{ analyst: string | null; everyone: number; median_ms: number | null }>(
      'case.dashboard_time_to_disposition',
      `SELECT decided_by AS analyst, grouping(decided_by) AS everyone,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms('closed_at')} - ${ms('opened_at')}) AS median_ms
         FROM cases WHERE ${closedInWindow()} AND decided_by <> 'system'
        GROUP BY GROUPING SETS ((decided_by), ())`,
      [window.from, window.now],
    ),
  ]);
  const buckets = perBucket.rows.map((row) => ({
    start: Number(row.bucket),
    analyst: row.analyst,
    dispositions: Number(row.dispositions),
    approvals: Number(row.approvals),
  }));
  const medianOf = new Map(
    medians.rows
      .filter((row) => Number(row.everyone) === 0)
      .map((row) => [row.analyst, row.median_ms === null ? null : Number(row.median_ms)]),
  );
  const totals = new Map<string, AnalystTotal>();
  for (const row of buckets) {
    const total = totals.get(row.analyst) ?? {
      analyst: row.analyst,
      dispositions: 0,
      approvals: 0,
      medianMsToDisposition: medianOf.get(row.analyst) ?? null,
    };
    totals.set(row.analyst, {
      ...total,
      dispositions: total.dispositions + row.dispositions,
      approvals: total.approvals + row.approvals,
    });
  }
  const overall = medians.rows.find((row) => Number(row.everyone) === 1)?.median_ms ?? null;
  return {
    buckets,
    totals: [...totals.values()].sort((a, b) => b.dispositions - a.dispositions || a.analyst.localeCompare(b.analyst)),
    medianMsToDisposition: overall === null ? null : Number(overall),
  };
}

/**
 * The precision of dispositions: every alert of the cases closed in the window, counted under the case's
 * disposition, per rule that fired on it and per band of its score — from the hourly rollup each closing adds
 * to (disposition_stats, migration 0005), not from the cases and their alerts.
 */
async function readPrecision(query: DashboardQuery, window: DashboardWindow): Promise<DashboardData['precision']> {
  const { rows } = await query<{ kind: 'rule' | 'score'; key: string; disposition: string; alerts: number }>(
    'case.dashboard_precision',
    `SELECT kind, key, disposition, sum(alerts)::float8 AS alerts FROM disposition_stats
      WHERE hour >= ${at('$1')} AND hour <= ${at('$2')} GROUP BY 1, 2, 3`,
    [window.from, window.now],
  );
  const tally = (into: Map<string, PrecisionRow>, key: string, disposition: string, alerts: number) => {
    const row = into.get(key) ?? { key, alerts: 0, confirmedFraud: 0, legitimate: 0, inconclusive: 0, precision: null };
    const next = {
      ...row,
      alerts: row.alerts + alerts,
      confirmedFraud: row.confirmedFraud + (disposition === 'CONFIRMED_FRAUD' ? alerts : 0),
      legitimate: row.legitimate + (disposition === 'LEGITIMATE' ? alerts : 0),
      inconclusive: row.inconclusive + (disposition === 'INCONCLUSIVE' ? alerts : 0),
    };
    into.set(key, { ...next, precision: precision(next.confirmedFraud, next.legitimate) });
  };
  const byRule = new Map<string, PrecisionRow>();
  const byBand = new Map<string, PrecisionRow>(
    [...SCORE_BANDS.map((band) => band.band), UNSCORED].map((key) => [
      key,
      { key, alerts: 0, confirmedFraud: 0, legitimate: 0, inconclusive: 0, precision: null },
    ]),
  );
  for (const row of rows) {
    if (row.kind === 'rule') tally(byRule, row.key!, row.disposition, Number(row.alerts));
    // The rollup keeps the score as text, '' for an alert no model scored.
    else tally(byBand, scoreBand(row.key === '' ? null : Number(row.key)), row.disposition, Number(row.alerts));
  }
  return {
    byRule: [...byRule.values()].sort((a, b) => b.alerts - a.alerts || a.key.localeCompare(b.key)),
    byScoreBand: [...byBand.values()],
  };
}
