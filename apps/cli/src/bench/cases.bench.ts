import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuditStore } from '@argus/audit-store';
import { parseCasePolicy, Role, type CasePolicy } from '@argus/case';
import { alertInput } from '@argus/case/testing';
import { CaseStore, dashboardWindow } from '@argus/case-store';
import { CaseWorkService } from '@argus/cases';
import type { Decision } from '@argus/contracts';
import { createPgPool, type PgPool } from '@argus/pg';
import { loadStackSettings, servicesStatus, startTestKafka, waitFor } from '@argus/testing';
import { CpuMeter } from './cpu.meter';
import { formatTable, LatencyRecorder, type Percentiles } from './bench.report';

export interface CasesBenchOptions {
  readonly pgUrl: string;
  /** Cases seeded in the bench's own schema for the queue queries. */
  readonly cases: number;
  /** Share of them not closed (the live backlog the queue sorts). */
  readonly openShare: number;
  /** Iterations of each query. */
  readonly iterations: number;
  /** Decisions produced on `decisions` for the running case service to take in (0: skip). */
  readonly intakeDecisions: number;
  /** Share of them that are REVIEW or BLOCK (the rest APPROVE, which the service only reads past). */
  readonly alertShare: number;
  readonly policyFile: string;
}

export interface QueryTiming extends Percentiles {
  readonly query: string;
  readonly rows: number;
}

export interface CasesBenchResult {
  readonly cases: number;
  readonly open: number;
  readonly seed_s: number;
  readonly table_mb: number;
  readonly queries: readonly QueryTiming[];
  readonly intake: null | {
    readonly decisions: number;
    readonly alerts: number;
    readonly seconds: number;
    readonly per_s: number;
    readonly case_service_cpu_ms_per_decision: number | null;
  };
}

const SCHEMA = 'bench_cases';
const MINUTE = 60_000;

/**
 * Seeds `cases` cases (queues, statuses, one alert each, `openShare` not closed) into the schema bench_cases
 * with one INSERT … SELECT per 100 000, as the case store would hold them. Each case's document is a valid
 * domain case, so the queue maps it as it maps real ones.
 */
async function seed(pool: PgPool, cases: number, openShare: number, now: number): Promise<void> {
  const batch = 100_000;
  // Cases are seeded before their alerts: the closing trigger (migration 0005) would count them without alerts,
  // one query per case. It is off while seeding this schema, and the rollup is filled from the seeded rows
  // below, as the migration fills it from existing ones.
  await pool.query('bench.triggers_off', 'ALTER TABLE cases DISABLE TRIGGER cases_closed_inserted');
  for (let from = 0; from < cases; from += batch) {
    const to = Math.min(cases, from + batch);
    await pool.query(
      'bench.seed',
      `WITH s AS (
         SELECT g, gen_random_uuid() AS id,
                (ARRAY['review', 'review', 'review', 'card-present', 'high-value'])[(1 + g % 5)::int] AS queue,
                CASE WHEN (g * 7919) % 10000 < $3::float8 * 10000
                     THEN (CASE WHEN g % 10 = 0 THEN 'CLAIMED' ELSE 'OPEN' END) ELSE 'CLOSED' END AS status,
                $4::float8 - ((g * 104729) % (20 * 24 * 60)) * 60000.0 AS opened_ms,
                1000 + (g * 31) % 900000 AS amount_minor,
                ((g * 17) % 100) / 100.0 AS probability
           FROM generate_series($1::bigint + 1, $2::bigint) g)
       INSERT INTO cases (id, card_id, customer_id, queue, status, opened_at, due_at, assignee, claim_expires_at,
         escalated, expected_loss, amount_at_risk, alert_count, max_score, disposition, reason_code, decided_by,
         closed_at, version, rank_opened_ms, rank_sla_ms, doc)
       SELECT id, 'bench-card-' || g, 'bench-cus-' || (g % 250000), queue, status,
              timestamptz 'epoch' + opened_ms * interval '1 millisecond',
              timestamptz 'epoch' + (opened_ms + 240 * 60000) * interval '1 millisecond',
              CASE WHEN status = 'CLAIMED' THEN 'analyst-' || (g % 40) END,
              CASE WHEN status = 'CLAIMED' THEN timestamptz 'epoch' + ($4::float8 + 900000) * interval '1 millisecond' END,
              false, probability * amount_minor / 100.0, amount_minor / 100.0, 1, (probability * 100)::int,
              CASE WHEN status = 'CLOSED' THEN (ARRAY['CONFIRMED_FRAUD', 'LEGITIMATE', 'INCONCLUSIVE'])[(1 + g % 3)::int] END,
              CASE WHEN status = 'CLOSED' THEN 'BENCH' END,
              CASE WHEN status = 'CLOSED' THEN 'analyst-' || (g % 40) END,
              CASE WHEN status = 'CLOSED' THEN timestamptz 'epoch' + (opened_ms + 3600000) * interval '1 millisecond' END,
              1, opened_ms, 240 * 60000,
              jsonb_build_object(
                'id', id, 'cardId', 'bench-card-' || g, 'customerId', 'bench-cus-' || (g % 250000), 'queue', queue,
                'status', status, 'openedAt', opened_ms, 'dueAt', opened_ms + 240 * 60000,
                'assignee', CASE WHEN status = 'CLAIMED' THEN 'analyst-' || (g % 40) END,
                'claimExpiresAt', CASE WHEN status = 'CLAIMED' THEN $4::float8 + 900000 END,
                'snoozedUntil', null, 'escalated', false, 'pending', null,
                'disposition', CASE WHEN status = 'CLOSED' THEN (ARRAY['CONFIRMED_FRAUD', 'LEGITIMATE', 'INCONCLUSIVE'])[(1 + g % 3)::int] END,
                'reasonCode', CASE WHEN status = 'CLOSED' THEN 'BENCH' END,
                'decidedBy', CASE WHEN status = 'CLOSED' THEN 'analyst-' || (g % 40) END, 'approvedBy', null,
                'closedAt', CASE WHEN status = 'CLOSED' THEN opened_ms + 3600000 END, 'version', 1,
                'alerts', jsonb_build_array(jsonb_build_object(
                  'transactionId', 'bench-tx-' || g, 'eventTime', opened_ms - 100, 'decidedAt', opened_ms,
                  'outcome', CASE WHEN g % 7 = 0 THEN 'BLOCK' ELSE 'REVIEW' END, 'amountMinor', amount_minor,
                  'currency', 'EUR', 'currencyExponent', 2, 'amountAtRisk', amount_minor / 100.0,
                  'unconverted', false, 'probability', probability, 'score', (probability * 100)::int,
                  'channel', 'ECOMMERCE', 'merchantCountry', 'FR', 'stepUp', null, 'reportedFraud', false)))
         FROM s`,
      [from, to, openShare, now],
    );
  }
  // One alert per case, as the case service stores it (the decision with a score and the rules that fired), for
  // the case file and the dashboard's precision per rule and score band.
  await pool.query(
    'bench.seed_alerts',
    `INSERT INTO case_alerts (transaction_id, case_id, decided_at, outcome, decision)
     SELECT doc->'alerts'->0->>'transactionId', id, opened_at, doc->'alerts'->0->>'outcome',
            jsonb_build_object('transaction_id', doc->'alerts'->0->>'transactionId', 'score', max_score,
              'reasons', jsonb_build_array(
                jsonb_build_object('kind', 'RULE', 'code', 'rule-' || (abs(hashtext(id::text)) % 12), 'message', 'bench', 'value', null),
                jsonb_build_object('kind', 'MODEL_FACTOR', 'code', 'amount', 'message', 'bench', 'value', 0.1)),
              'transaction', jsonb_build_object('device_fingerprint', null::text, 'ip_address', null::text,
                'payment_method', 'CARD', 'merchant_id', 'bench-mer', 'attributes', '{}'::jsonb))
       FROM cases`,
  );
  await pool.query('bench.triggers_on', 'ALTER TABLE cases ENABLE TRIGGER cases_closed_inserted');
  await pool.query(
    'bench.seed_dispositions',
    `INSERT INTO disposition_stats (hour, kind, key, disposition, alerts)
     SELECT hour, kind, key, disposition, count(*) FROM closed_alert_facts GROUP BY 1, 2, 3, 4`,
  );
  // The dashboard's hourly rollup over the seeded 20 days: 600 decisions an hour, 5 % REVIEW, 1 % BLOCK.
  await pool.query(
    'bench.seed_stats',
    `INSERT INTO decision_stats (hour, outcome, decisions, amount, unconverted)
     SELECT date_bin('1 hour', timestamptz 'epoch' + $1::float8 * interval '1 millisecond', timestamptz 'epoch')
              - h * interval '1 hour', o, n, n * 42.5, 0
       FROM generate_series(0, 20 * 24) h,
            (VALUES ('APPROVE', 564), ('REVIEW', 30), ('BLOCK', 6)) AS v(o, n)`,
    [now],
  );
  // What autovacuum does to a table after a million inserts (its insert threshold): statistics for the planner
  // and the visibility map that lets the queue rank the open cases from their index alone.
  await pool.query('bench.vacuum', 'VACUUM (ANALYZE) cases, case_alerts, decision_stats, disposition_stats');
}

async function time(iterations: number, fn: () => Promise<number>): Promise<Percentiles & { rows: number }> {
  const recorder = new LatencyRecorder();
  let rows = 0;
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    rows = await fn();
    recorder.recordMs(performance.now() - started);
  }
  return { ...recorder.percentiles(), rows };
}

/**
 * `argus bench cases`: the queue queries an analyst's console runs (list by priority and by due time, a
 * queue filter, take next, the case file, the dashboard) against `cases` cases in PostgreSQL, then the running case
 * service's intake rate on `decisions`.
 */
export async function runCasesBench(
  options: CasesBenchOptions,
  progress: (line: string) => void,
): Promise<CasesBenchResult> {
  const policy: CasePolicy = parseCasePolicy(readFileSync(options.policyFile, 'utf8'), options.policyFile);
  const admin = createPgPool({ url: options.pgUrl, applicationName: 'argus-bench-cases-admin', max: 1 });
  await admin.query('bench.schema_drop', `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query('bench.schema', `CREATE SCHEMA ${SCHEMA}`);
  const pool = createPgPool({ url: options.pgUrl, applicationName: 'argus-bench-cases', schema: SCHEMA, max: 4 });
  try {
    const store = new CaseStore(pool);
    await store.migrate();
    const audit = new AuditStore(pool);
    await audit.migrate();
    const now = Date.now();
    progress(
      `seeding ${options.cases} cases (${Math.round(options.openShare * 100)} % not closed) in schema ${SCHEMA}…`,
    );
    const seedStarted = performance.now();
    await seed(pool, options.cases, options.openShare, now);
    const seedS = (performance.now() - seedStarted) / 1000;
    const counts = await pool.query<{ open: string; mb: string }>(
      'bench.counts',
      `SELECT (SELECT count(*) FROM cases WHERE status <> 'CLOSED') AS open,
              (pg_total_relation_size('cases') / 1048576) AS mb`,
    );
    const work = new CaseWorkService(
      store,
      audit,
      () => policy,
      () => now,
    );
    const analyst = { id: 'bench-analyst', role: Role.ANALYST };
    progress(`timing the queue queries (${options.iterations} each)…`);
    const queries: QueryTiming[] = [];
    const measure = async (query: string, fn: () => Promise<number>, iterations = options.iterations) => {
      await fn(); // warm the plan and the cache
      queries.push({ query, ...(await time(iterations, fn)) });
    };
    // The dashboard refreshes every 30 s per open console, not per click: fewer runs of it, each far longer.
    const dashboardIterations = Math.min(options.iterations, 30);
    await measure('list: all queues by priority, 50', async () => (await work.queue({ limit: 50 })).length);
    await measure(
      'list: all queues by due time, 50',
      async () => (await work.queue({ limit: 50, sort: 'due' })).length,
    );
    await measure(
      'list: one queue (high-value), 50',
      async () => (await work.queue({ queues: ['high-value'], limit: 50 })).length,
    );
    await measure('list: breached, 50', async () => (await work.queue({ breached: true, limit: 50 })).length);
    await measure('list: by assignee', async () => (await work.queue({ assignee: 'analyst-10', limit: 50 })).length);
    await measure('take next (claim)', async () => ((await work.takeNext(analyst)) === null ? 0 : 1));
    await measure(
      'dashboard: last 24 h (hourly)',
      async () => (await store.dashboard(dashboardWindow(Date.now(), 24))).precision.byRule.length,
      dashboardIterations,
    );
    await measure(
      'dashboard: last 30 days (daily)',
      async () => (await store.dashboard(dashboardWindow(Date.now(), 720))).precision.byRule.length,
      dashboardIterations,
    );
    const sample = await work.queue({ limit: 1 });
    await measure(
      'case file (audited view, one alert)',
      async () => (await work.open(sample[0]!.case.id, analyst)).alerts.length,
    );

    const intake = options.intakeDecisions > 0 ? await benchIntake(options, progress) : null;
    return {
      cases: options.cases,
      open: Number(counts.rows[0]!.open),
      seed_s: Math.round(seedS * 10) / 10,
      table_mb: Number(counts.rows[0]!.mb),
      queries,
      intake,
    };
  } finally {
    await pool.end();
    await admin.query('bench.schema_drop', `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.end();
  }
}

/**
 * Produces decisions (a share of them REVIEW/BLOCK, two per card) on `decisions` as fast as the broker takes
 * them, and times the running case service until every alert is in PostgreSQL and its consumer group has read
 * to the end of the topic; the bench's cases are removed afterwards.
 */
async function benchIntake(options: CasesBenchOptions, progress: (line: string) => void) {
  const settings = loadStackSettings();
  const run = `bench-${randomUUID().slice(0, 8)}`;
  const service = (await servicesStatus(settings)).find((status) => status.name === 'case');
  if (service === undefined || !service.ready)
    throw new Error('the case service is not running: npx argus services up');
  const kafka = await startTestKafka(settings, 'bench-cases', run, ['decisions']);
  const pool = createPgPool({ url: options.pgUrl, applicationName: 'argus-bench-cases-intake', max: 2 });
  try {
    const now = Date.now();
    const every = Math.max(1, Math.round(1 / options.alertShare));
    const decisions: Decision[] = Array.from({ length: options.intakeDecisions }, (_, i) => {
      const alert = i % every === 0;
      return alertInput({
        id: `${run}-t${i}`,
        card: `${run}-card-${i % Math.ceil(options.intakeDecisions / 2)}`,
        outcome: !alert ? 'APPROVE' : i % 5 === 0 ? 'BLOCK' : 'REVIEW',
        amountMinor: 1_000 + ((i * 7919) % 200_000),
        at: now - MINUTE,
      }).decision;
    });
    const alerts = decisions.filter((decision) => decision.outcome !== 'APPROVE').length;
    const count = async () =>
      Number(
        (
          await pool.query<{ count: string }>(
            'bench.alerts',
            'SELECT count(*) AS count FROM case_alerts WHERE transaction_id LIKE $1',
            [`${run}-%`],
          )
        ).rows[0]!.count,
      );
    progress(`producing ${decisions.length} decisions (${alerts} REVIEW/BLOCK) for the running case service…`);
    const admin = kafka.kafka.admin();
    await admin.connect();
    // Caught up: every alert in PostgreSQL and the service's group at the end of every partition.
    const lag = async () => {
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets('decisions'),
        admin.fetchOffsets({ groupId: 'argus-case', topics: ['decisions'] }),
      ]);
      const at = new Map(committed[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends.reduce((sum, end) => sum + Math.max(0, Number(end.high) - (at.get(end.partition) ?? 0)), 0);
    };
    const meter = service.pid === undefined ? null : CpuMeter.of([{ name: 'case', kind: 'service', pid: service.pid }]);
    const cpuBefore = meter?.sample();
    const started = performance.now();
    for (let i = 0; i < decisions.length; i += 1_000)
      await kafka.producer.send(
        'decisions',
        decisions.slice(i, i + 1_000).map((value) => ({ key: value.card_id, value })),
      );
    await waitFor(async () => (await count()) === alerts && (await lag()) === 0, {
      timeoutMs: 600_000,
      intervalMs: 200,
      description: 'every decision taken into a case',
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = meter === null ? null : meter.cost(cpuBefore!, meter.sample(), decisions.length);
    await admin.disconnect();
    // The bench's cases leave the queues (their events stay in the audit chain).
    await new CaseStore(pool).forgetCasesOf(`${run}-`);
    return {
      decisions: decisions.length,
      alerts,
      seconds: Math.round(seconds * 10) / 10,
      per_s: Math.round(decisions.length / seconds),
      case_service_cpu_ms_per_decision: cpu?.pipeline_ms_per_tx ?? null,
    };
  } finally {
    await kafka.stop();
    await pool.end();
  }
}

export function formatCasesBench(result: CasesBenchResult): string {
  const rows: [string, string][] = result.queries.map((q) => [
    q.query,
    `P50 ${q.p50_ms} ms, P99 ${q.p99_ms} ms, max ${q.max_ms} ms (${q.rows} rows)`,
  ]);
  const intake: [string, string][] =
    result.intake === null
      ? []
      : [
          [
            'intake (running case service)',
            `${result.intake.decisions} decisions (${result.intake.alerts} REVIEW/BLOCK) in ${result.intake.seconds} s: ${result.intake.per_s}/s`,
          ],
          [
            'case service CPU',
            result.intake.case_service_cpu_ms_per_decision === null
              ? 'unknown'
              : `${result.intake.case_service_cpu_ms_per_decision} ms per decision`,
          ],
        ];
  return formatTable(
    `cases: ${result.cases} in PostgreSQL, ${result.open} not closed (seeded in ${result.seed_s} s, ${result.table_mb} MB)`,
    [...rows, ...intake],
  );
}
