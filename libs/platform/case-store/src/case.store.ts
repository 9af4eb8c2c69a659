import { migrate, PgError, withTransaction, type MigrationReport, type PgConnection, type PgPool } from '@argus/pg';
import {
  readDashboard,
  rollupDecisions,
  upsertDecisionStats,
  type DashboardData,
  type DashboardQuery,
  type DashboardWindow,
  type DecisionFact,
} from './case.dashboard';
import { caseMigrationsDir } from './case-migrations.locator';
import { CaseStoreError, CaseStoreErrorCode } from './case-store.errors';
import type {
  CaseAlertRow,
  CaseChange,
  CaseRow,
  CaseUserRow,
  PendingOutboxMessage,
  QueuedCaseRow,
  QueueQuery,
  StoredCaseEventRow,
  TakeNextQuery,
} from './case-store.types';

export interface CaseStoreOptions {
  readonly migrationsDir?: string;
}

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
const at = (param: string) => `(timestamptz 'epoch' + ${param}::float8 * interval '1 millisecond')`;

const CASE_COLUMNS = `id::text, card_id, customer_id, queue, status,
  ${ms('opened_at')} AS opened_at, ${ms('due_at')} AS due_at, assignee,
  ${ms('claim_expires_at')} AS claim_expires_at, ${ms('snoozed_until')} AS snoozed_until, escalated,
  expected_loss, amount_at_risk, alert_count, max_score, disposition, reason_code, decided_by, approved_by,
  pending_by, ${ms('closed_at')} AS closed_at, version, doc`;

/** The status as of $1 (epoch ms): an expired claim or a snooze that has run out is OPEN again. */
const EFFECTIVE_STATUS = `CASE
    WHEN status = 'CLAIMED' AND claim_expires_at <= ${at('$1')} THEN 'OPEN'
    WHEN status = 'SNOOZED' AND snoozed_until <= ${at('$1')} THEN 'OPEN'
    ELSE status END`;

/**
 * The queue's sort key at $1 with SLA weight $2: expected loss × (1 + weight × share of the SLA used). It
 * moves with the clock, so it is computed when read (over the open cases of the queues asked for only).
 */
const PRIORITY = `CASE WHEN status = 'CLOSED' THEN 0 ELSE expected_loss * (1 + $2::float8 * greatest(0,
    $1::float8 - rank_opened_ms) / rank_sla_ms) END`;

interface RawCase {
  id: string;
  card_id: string;
  customer_id: string;
  queue: string;
  status: CaseRow['status'];
  opened_at: number;
  due_at: number;
  assignee: string | null;
  claim_expires_at: number | null;
  snoozed_until: number | null;
  escalated: boolean;
  expected_loss: number;
  amount_at_risk: number;
  alert_count: number;
  max_score: number | null;
  disposition: string | null;
  reason_code: string | null;
  decided_by: string | null;
  approved_by: string | null;
  pending_by: string | null;
  closed_at: number | null;
  version: number;
  doc: unknown;
  priority?: number;
}

const MAX_LIMIT = 500;

/**
 * The PostgreSQL side of the case service: cases, their alerts and events, the outbox of what to publish,
 * and the users. Every change to a case is one transaction holding the case (or its card) locked.
 */
export class CaseStore {
  constructor(
    private readonly pool: PgPool,
    private readonly options: CaseStoreOptions = {},
  ) {}

  migrate(): Promise<MigrationReport> {
    return migrate(this.pool, { dir: this.options.migrationsDir ?? caseMigrationsDir(), table: 'case_migrations' });
  }

  /**
   * Works on the card's open case under a per-card lock: `fn` sees the open case (or null) and returns the
   * change to write, or null to write nothing. Two intakes for one card queue on the lock, so the second sees
   * the case the first opened (and the unique index stops anything that skips the lock).
   */
  withCardCase<T>(
    cardId: string,
    fn: (open: CaseRow | null, alerts: readonly CaseAlertRow[]) => Promise<{ change: CaseChange | null; result: T }>,
  ): Promise<T> {
    return this.transaction('case.with_card', async (tx) => {
      await tx.query('case.card_lock', 'SELECT pg_advisory_xact_lock(hashtext($1))', [`case-card:${cardId}`]);
      const { rows } = await tx.query<RawCase>(
        'case.open_of_card',
        `SELECT ${CASE_COLUMNS} FROM cases WHERE card_id = $1 AND status <> 'CLOSED' FOR UPDATE`,
        [cardId],
      );
      const open = rows[0] === undefined ? null : toCase(rows[0]);
      const alerts = open === null ? [] : await readAlerts(tx, open.id);
      const { change, result } = await fn(open, alerts);
      if (change !== null) await write(tx, change);
      return result;
    });
  }

  /** Works on one case locked FOR UPDATE: `fn` returns the change to write (or null) and a result. */
  withCase<T>(caseId: string, fn: (kase: CaseRow) => Promise<{ change: CaseChange | null; result: T }>): Promise<T> {
    return this.transaction('case.with_case', async (tx) => {
      const kase = await lockCase(tx, caseId);
      if (kase === null) throw new CaseStoreError(CaseStoreErrorCode.NOT_FOUND, `no case ${caseId}`);
      const { change, result } = await fn(kase);
      if (change !== null) await write(tx, change);
      return result;
    });
  }

  /**
   * Take next: the highest-priority case of the queues that nobody holds (open, or its claim or snooze run
   * out), locked with SKIP LOCKED so that analysts taking at once get different cases. `fn` claims it.
   * Resolves to null when the queues are empty.
   */
  takeNext<T>(
    query: TakeNextQuery,
    fn: (kase: CaseRow) => Promise<{ change: CaseChange | null; result: T }>,
  ): Promise<T | null> {
    if (query.queues.length === 0) return Promise.resolve(null);
    return this.transaction('case.take_next', async (tx) => {
      // Rank without locking (an index-only scan of the open cases), then lock the best of the first few that
      // nobody else holds; only if every one of them is taken meanwhile, rank and lock in one go.
      let row: RawCase | undefined;
      for (const candidates of [8, 64]) {
        ({
          rows: [row],
        } = await tx.query<RawCase>(
          'case.take_next',
          `WITH ranked AS (
             SELECT id, due_at, ${PRIORITY} AS priority FROM cases
              WHERE status <> 'CLOSED' AND queue = ANY($3::text[]) AND ${EFFECTIVE_STATUS} = 'OPEN'
              ORDER BY priority DESC, due_at, id LIMIT $4)
           SELECT ${CASE_COLUMNS} FROM cases
            WHERE id IN (SELECT id FROM ranked) AND status <> 'CLOSED' AND ${EFFECTIVE_STATUS} = 'OPEN'
            ORDER BY ${PRIORITY} DESC, due_at, id
            LIMIT 1
            FOR UPDATE SKIP LOCKED`,
          [query.now, query.slaWeight, query.queues, candidates],
        ));
        if (row !== undefined) break;
      }
      row ??= (
        await tx.query<RawCase>(
          'case.take_next_all',
          `SELECT ${CASE_COLUMNS} FROM cases
            WHERE status <> 'CLOSED' AND queue = ANY($3::text[]) AND ${EFFECTIVE_STATUS} = 'OPEN'
            ORDER BY ${PRIORITY} DESC, due_at, id
            LIMIT 1
            FOR UPDATE SKIP LOCKED`,
          [query.now, query.slaWeight, query.queues],
        )
      ).rows[0];
      if (row === undefined) return null;
      const { change, result } = await fn(toCase(row));
      if (change !== null) await write(tx, change);
      return result;
    });
  }

  async get(caseId: string): Promise<CaseRow | null> {
    if (!UUID.test(caseId)) return null;
    const { rows } = await this.query<RawCase>('case.get', `SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1`, [caseId]);
    return rows[0] === undefined ? null : toCase(rows[0]);
  }

  /** The case a transaction's alert joined, if any. */
  async caseOfTransaction(transactionId: string): Promise<string | null> {
    const { rows } = await this.query<{ case_id: string }>(
      'case.of_transaction',
      'SELECT case_id::text FROM case_alerts WHERE transaction_id = $1',
      [transactionId],
    );
    return rows[0]?.case_id ?? null;
  }

  /** The queue, as an analyst's list shows it: filtered, by priority (or by SLA), a page at a time. */
  async list(query: QueueQuery): Promise<QueuedCaseRow[]> {
    const limit = query.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw new CaseStoreError(CaseStoreErrorCode.INVALID_ARGUMENT, `limit must be 1–${MAX_LIMIT}, got ${limit}`);
    const offset = query.offset ?? 0;
    // Open cases only unless closed ones are asked for: the open ones are ranked from cases_open_rank alone.
    const closedWanted = query.statuses?.includes('CLOSED') ?? false;
    const order = query.sort === 'due' ? 'due_at, priority DESC, id' : 'priority DESC, due_at, id';
    const { rows } = await this.query<RawCase>(
      'case.list',
      `WITH ranked AS (
         SELECT id AS r_id, due_at AS r_due, priority AS r_priority FROM (
           SELECT id, due_at, ${PRIORITY} AS priority, ${EFFECTIVE_STATUS} AS effective_status
             FROM cases
            WHERE ${closedWanted ? 'true' : "status <> 'CLOSED'"}
              AND ($3::text[] IS NULL OR queue = ANY($3::text[]))
              AND ($4::text IS NULL OR assignee = $4)
              AND ($5::text IS NULL OR card_id = $5)
              AND ($6::float8 IS NULL OR expected_loss >= $6)
              AND (NOT $7::boolean OR due_at < ${at('$1')})
         ) q
         WHERE ($8::text[] IS NULL OR effective_status = ANY($8::text[]))
         ORDER BY ${order}
         LIMIT $9 OFFSET $10)
       SELECT ${CASE_COLUMNS}, r_priority AS priority
         FROM ranked JOIN cases ON cases.id = ranked.r_id
        ORDER BY ${order
          .replace('priority', 'r_priority')
          .replace('due_at', 'r_due')
          .replace(/\bid\b/, 'r_id')}`,
      [
        query.now,
        query.slaWeight,
        query.queues ?? null,
        query.assignee ?? null,
        query.cardId ?? null,
        query.minExpectedLoss ?? null,
        query.breached ?? false,
        query.statuses ?? null,
        limit,
        offset,
      ],
    );
    return rows.map((row) => ({ ...toCase(row), priority: Number(row.priority) }));
  }

  async alertsOf(caseId: string): Promise<CaseAlertRow[]> {
    return readAlerts(this.pool, caseId);
  }

  async eventsOf(caseId: string): Promise<StoredCaseEventRow[]> {
    const { rows } = await this.query<{
      event_id: string;
      case_id: string;
      seq: number;
      type: string;
      actor: string;
      at: number;
      transaction_id: string | null;
      details: Record<string, unknown>;
    }>(
      'case.events_of',
      `SELECT event_id, case_id::text, seq, type, actor, ${ms('at')} AS at, transaction_id, details
         FROM case_events WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      caseId: row.case_id,
      seq: row.seq,
      type: row.type,
      actor: row.actor,
      at: row.at,
      transactionId: row.transaction_id,
      details: row.details,
    }));
  }

  /**
   * Publishes what is waiting in the outbox for `topics`, oldest first, `limit` at a time: the rows are
   * locked (SKIP LOCKED: two relays never take the same rows), handed to `publish`, and marked published when
   * it resolves. If it throws, nothing is marked and the rows are tried again. Resolves to how many were sent.
   */
  relayOutbox(
    publish: (messages: readonly PendingOutboxMessage[]) => Promise<void>,
    options: { readonly topics: readonly string[]; readonly limit?: number },
  ): Promise<number> {
    return this.transaction('case.relay', async (tx) => {
      const rows = await pendingOutbox(tx, options.topics, options.limit ?? 500, Date.now());
      if (rows.length === 0) return 0;
      await publish(rows);
      await markPublished(
        tx,
        rows.map((row) => row.id),
      );
      return rows.length;
    });
  }

  /**
   * Delivers waiting rows of `topic` one by one with `send` (a webhook): a row sent is marked published; a
   * row whose send throws is tried again after `backoff(attempts)` ms, and given up on (failed_at) once
   * `giveUpAfterMs` have passed since it was written. Resolves to what was sent and what failed this pass.
   */
  async deliverOutbox(
    topic: string,
    send: (message: PendingOutboxMessage) => Promise<void>,
    options: { readonly now: number; readonly backoff: (attempts: number) => number; readonly giveUpAfterMs: number },
  ): Promise<{ sent: number; retried: number; abandoned: number }> {
    const tally = { sent: 0, retried: 0, abandoned: 0 };
    for (;;) {
      const done = await this.transaction('case.deliver', async (tx) => {
        const [row] = await pendingOutbox(tx, [topic], 1, options.now, true);
        if (row === undefined) return false;
        try {
          await send(row);
          await markPublished(tx, [row.id]);
          tally.sent += 1;
        } catch (error) {
          const why = (error instanceof Error ? error.message : String(error)).slice(0, 500);
          const abandon = options.now - row.createdAt >= options.giveUpAfterMs;
          await tx.query(
            'case.outbox_retry',
            `UPDATE case_outbox SET attempts = attempts + 1, last_error = $2,
                    next_attempt_at = ${at('$3')}, failed_at = CASE WHEN $4::boolean THEN now() END
              WHERE id = $1`,
            [row.id, why, options.now + options.backoff(row.attempts + 1), abandon],
          );
          if (abandon) tally.abandoned += 1;
          else tally.retried += 1;
        }
        return true;
      });
      if (!done) return tally;
    }
  }

  /**
   * Cases past their deadline whose breach was not announced for that deadline, locked one at a time: `fn`
   * returns the change to write (its outbox holds the announcement), and the case is marked announced for
   * its current deadline in the same transaction. Resolves to how many were announced.
   */
  async announceBreaches(now: number, fn: (kase: CaseRow) => CaseChange | null, limit = 100): Promise<number> {
    let announced = 0;
    for (let i = 0; i < limit; i += 1) {
      const more = await this.transaction('case.breach', async (tx) => {
        const { rows } = await tx.query<RawCase>(
          'case.breach_next',
          `SELECT ${CASE_COLUMNS} FROM cases
            WHERE status <> 'CLOSED' AND due_at < ${at('$1')}
              AND (breach_announced_for IS NULL OR breach_announced_for <> due_at)
            ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [now],
        );
        if (rows[0] === undefined) return false;
        const kase = toCase(rows[0]);
        const change = fn(kase);
        if (change !== null) {
          await write(tx, change);
          announced += 1;
        }
        await tx.query('case.breach_mark', 'UPDATE cases SET breach_announced_for = due_at WHERE id = $1', [kase.id]);
        return true;
      });
      if (!more) break;
    }
    return announced;
  }

  /** Cases not closed, per queue. */
  async openCounts(): Promise<Record<string, number>> {
    const { rows } = await this.query<{ queue: string; count: string }>(
      'case.open_counts',
      `SELECT queue, count(*) AS count FROM cases WHERE status <> 'CLOSED' GROUP BY queue ORDER BY queue`,
    );
    return Object.fromEntries(rows.map((row) => [row.queue, Number(row.count)]));
  }

  /**
   * Removes the cases whose alerts are all for transactions whose id starts with `prefix` (a simulated
   * population: the demo's, a bench's), with their alerts and timeline. Their events stay in the audit chain,
   * which is append-only. Resolves to how many cases went.
   */
  async forgetCasesOf(prefix: string): Promise<number> {
    if (prefix.length < 3)
      throw new CaseStoreError(CaseStoreErrorCode.INVALID_ARGUMENT, 'a transaction id prefix of 3 characters or more');
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await this.query<{ count: string }>(
      'case.forget',
      `WITH doomed AS (
         SELECT case_id AS id FROM case_alerts GROUP BY case_id HAVING bool_and(transaction_id LIKE $1)),
       -- What their closings added to the dashboard's rollup goes with them.
       uncounted AS (
         UPDATE disposition_stats s SET alerts = s.alerts - f.alerts
           FROM (SELECT hour, kind, key, disposition, count(*) AS alerts FROM closed_alert_facts
                  WHERE case_id IN (SELECT id FROM doomed) GROUP BY 1, 2, 3, 4) f
          WHERE (s.hour, s.kind, s.key, s.disposition) = (f.hour, f.kind, f.key, f.disposition)),
       a AS (DELETE FROM case_alerts WHERE case_id IN (SELECT id FROM doomed)),
       e AS (DELETE FROM case_events WHERE case_id IN (SELECT id FROM doomed)),
       c AS (DELETE FROM cases WHERE id IN (SELECT id FROM doomed) RETURNING 1)
       SELECT count(*) AS count FROM c`,
      [pattern],
    );
    return Number(rows[0]!.count);
  }

  /**
   * Adds a consumed batch of decisions to the hourly rollup (decision_stats), grouped in memory, one statement.
   * A batch redelivered after a crash is counted again: the rollup feeds a dashboard, it is not a ledger.
   */
  async addDecisionStats(facts: readonly DecisionFact[]): Promise<void> {
    await upsertDecisionStats(this.dashboardQuery, rollupDecisions(facts));
  }

  /** The analysts' dashboard over `window` (see case.dashboard.ts). */
  dashboard(window: DashboardWindow): Promise<DashboardData> {
    return readDashboard(this.dashboardQuery, window);
  }

  private readonly dashboardQuery: DashboardQuery = async <R extends object>(
    name: string,
    text: string,
    values?: readonly unknown[],
  ) => (await this.query<R>(name, text, values)) as { rows: R[] };

  /** How many outbox records wait to be published (readiness, metrics). */
  async outboxBacklog(): Promise<number> {
    const { rows } = await this.query<{ count: string }>(
      'case.outbox_backlog',
      'SELECT count(*) AS count FROM case_outbox WHERE published_at IS NULL AND failed_at IS NULL',
    );
    return Number(rows[0]!.count);
  }

  async upsertUser(user: CaseUserRow): Promise<void> {
    await this.query(
      'case.user_upsert',
      `INSERT INTO case_users (id, display_name, role, password_hash, disabled) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
         password_hash = EXCLUDED.password_hash, disabled = EXCLUDED.disabled`,
      [user.id, user.displayName, user.role, user.passwordHash, user.disabled],
    );
  }

  async findUser(id: string): Promise<CaseUserRow | null> {
    const { rows } = await this.query<{
      id: string;
      display_name: string;
      role: CaseUserRow['role'];
      password_hash: string;
      disabled: boolean;
    }>('case.user_find', 'SELECT id, display_name, role, password_hash, disabled FROM case_users WHERE id = $1', [id]);
    const row = rows[0];
    return row === undefined
      ? null
      : {
          id: row.id,
          displayName: row.display_name,
          role: row.role,
          passwordHash: row.password_hash,
          disabled: row.disabled,
        };
  }

  private async query<R extends object>(name: string, text: string, values?: readonly unknown[]) {
    try {
      return await this.pool.query<R & Record<string, unknown>>(name, text, values);
    } catch (error) {
      throw storeError(error, `${name} failed`);
    }
  }

  /** What the database says becomes a CaseStoreError; what the caller's `fn` throws passes through as it is. */
  private async transaction<T>(name: string, fn: (tx: PgConnection) => Promise<T>): Promise<T> {
    try {
      return await withTransaction(this.pool, fn);
    } catch (error) {
      throw error instanceof PgError ? storeError(error, `${name} failed`) : error;
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function lockCase(tx: PgConnection, caseId: string): Promise<CaseRow | null> {
  if (!UUID.test(caseId)) return null;
  const { rows } = await tx.query<RawCase>('case.lock', `SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 FOR UPDATE`, [
    caseId,
  ]);
  return rows[0] === undefined ? null : toCase(rows[0]);
}

async function pendingOutbox(
  tx: PgConnection,
  topics: readonly string[],
  limit: number,
  now: number,
  due = false,
): Promise<PendingOutboxMessage[]> {
  const { rows } = await tx.query<{
    id: string;
    topic: string;
    message_key: string;
    payload: unknown;
    attempts: number;
    created_at: number;
  }>(
    'case.outbox_pending',
    `SELECT id, topic, message_key, payload, attempts, ${ms('created_at')} AS created_at FROM case_outbox
      WHERE published_at IS NULL AND failed_at IS NULL AND topic = ANY($1::text[])
        AND (NOT $3::boolean OR next_attempt_at <= ${at('$4')})
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [topics, limit, due, now],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    topic: row.topic,
    key: row.message_key,
    payload: row.payload,
    attempts: row.attempts,
    createdAt: row.created_at,
  }));
}

async function markPublished(tx: PgConnection, ids: readonly number[]): Promise<void> {
  await tx.query('case.outbox_mark', 'UPDATE case_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}

async function readAlerts(db: Pick<PgConnection, 'query'>, caseId: string): Promise<CaseAlertRow[]> {
  const { rows } = await db.query<{
    transaction_id: string;
    case_id: string;
    decided_at: number;
    outcome: 'REVIEW' | 'BLOCK';
    decision: unknown;
  }>(
    'case.alerts_of',
    `SELECT transaction_id, case_id::text, ${ms('decided_at')} AS decided_at, outcome, decision
       FROM case_alerts WHERE case_id = $1 ORDER BY decided_at, transaction_id`,
    [caseId],
  );
  return rows.map((row) => ({
    transactionId: row.transaction_id,
    caseId: row.case_id,
    decidedAt: row.decided_at,
    outcome: row.outcome,
    decision: row.decision,
  }));
}

/** Writes one change: the case (insert, or update from the version read), its new alerts, events and outbox. */
async function write(tx: PgConnection, change: CaseChange): Promise<void> {
  const c = change.case;
  const values = [
    c.id,
    c.cardId,
    c.customerId,
    c.queue,
    c.status,
    c.openedAt,
    c.dueAt,
    c.assignee,
    c.claimExpiresAt,
    c.snoozedUntil,
    c.escalated,
    c.expectedLoss,
    c.amountAtRisk,
    c.alertCount,
    c.maxScore,
    c.disposition,
    c.reasonCode,
    c.decidedBy,
    c.approvedBy,
    c.pendingBy,
    c.closedAt,
    c.version,
    JSON.stringify(c.doc),
  ];
  if (change.fromVersion === null) {
    await tx.query(
      'case.insert',
      `INSERT INTO cases (id, card_id, customer_id, queue, status, opened_at, due_at, assignee, claim_expires_at,
         snoozed_until, escalated, expected_loss, amount_at_risk, alert_count, max_score, disposition, reason_code,
         decided_by, approved_by, pending_by, closed_at, version, doc, rank_opened_ms, rank_sla_ms)
       VALUES ($1, $2, $3, $4, $5, ${at('$6')}, ${at('$7')}, $8, ${at('$9')}, ${at('$10')}, $11, $12, $13, $14,
         $15, $16, $17, $18, $19, $20, ${at('$21')}, $22, $23::jsonb, $6::float8, $7::float8 - $6::float8)`,
      values,
    );
  } else if (change.fromVersion !== c.version) {
    // (An action that changes nothing of the case, a view or an announced breach, keeps its version and
    // writes only its events and outbox.)
    const { rowCount } = await tx.query(
      'case.update',
      `UPDATE cases SET card_id = $2, customer_id = $3, queue = $4, status = $5, opened_at = ${at('$6')},
         due_at = ${at('$7')}, assignee = $8, claim_expires_at = ${at('$9')}, snoozed_until = ${at('$10')},
         escalated = $11, expected_loss = $12, amount_at_risk = $13, alert_count = $14, max_score = $15,
         disposition = $16, reason_code = $17, decided_by = $18, approved_by = $19, pending_by = $20,
         closed_at = ${at('$21')}, version = $22, doc = $23::jsonb, updated_at = now(),
         rank_opened_ms = $6::float8, rank_sla_ms = $7::float8 - $6::float8
       WHERE id = $1 AND version = $24`,
      [...values, change.fromVersion],
    );
    if (rowCount !== 1) {
      throw new CaseStoreError(
        CaseStoreErrorCode.VERSION_CONFLICT,
        `case ${c.id} changed since version ${change.fromVersion} was read`,
      );
    }
  }
  const alerts = change.newAlerts ?? [];
  if (alerts.length > 0) {
    await tx.query(
      'case.alerts_insert',
      `INSERT INTO case_alerts (transaction_id, case_id, decided_at, outcome, decision)
       SELECT t, c::uuid, ${at('d')}, o, j::jsonb FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[])
         AS r(t, c, d, o, j)`,
      [
        alerts.map((a) => a.transactionId),
        alerts.map((a) => a.caseId),
        alerts.map((a) => a.decidedAt),
        alerts.map((a) => a.outcome),
        alerts.map((a) => JSON.stringify(a.decision)),
      ],
    );
  }
  if (change.events.length > 0) {
    await tx.query(
      'case.events_insert',
      `INSERT INTO case_events (event_id, case_id, seq, type, actor, at, transaction_id, details)
       SELECT e, c::uuid, (SELECT coalesce(max(seq), 0) FROM case_events WHERE case_id = $2::uuid) + n, ty, a,
              ${at('t')}, tx, d::jsonb
         FROM unnest($1::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[])
           WITH ORDINALITY AS r(e, ty, a, t, tx, d, n), (SELECT $2::text AS c) k`,
      [
        change.events.map((e) => e.eventId),
        c.id,
        change.events.map((e) => e.type),
        change.events.map((e) => e.actor),
        change.events.map((e) => e.at),
        change.events.map((e) => e.transactionId),
        change.events.map((e) => JSON.stringify(e.details)),
      ],
    );
  }
  if (change.outbox.length > 0) {
    await tx.query(
      'case.outbox_insert',
      `INSERT INTO case_outbox (topic, message_key, payload)
       SELECT t, k, p::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(t, k, p, n)
        ORDER BY n`,
      [
        change.outbox.map((m) => m.topic),
        change.outbox.map((m) => m.key),
        change.outbox.map((m) => JSON.stringify(m.payload)),
      ],
    );
  }
}

function toCase(row: RawCase): CaseRow {
  return {
    id: row.id,
    cardId: row.card_id,
    customerId: row.customer_id,
    queue: row.queue,
    status: row.status,
    openedAt: row.opened_at,
    dueAt: row.due_at,
    assignee: row.assignee,
    claimExpiresAt: row.claim_expires_at,
    snoozedUntil: row.snoozed_until,
    escalated: row.escalated,
    expectedLoss: row.expected_loss,
    amountAtRisk: row.amount_at_risk,
    alertCount: row.alert_count,
    maxScore: row.max_score,
    disposition: row.disposition,
    reasonCode: row.reason_code,
    decidedBy: row.decided_by,
    approvedBy: row.approved_by,
    pendingBy: row.pending_by,
    closedAt: row.closed_at,
    version: row.version,
    doc: row.doc,
  };
}

function storeError(error: unknown, context: string): CaseStoreError {
  if (error instanceof CaseStoreError) return error;
  if (error instanceof PgError) {
    // 42P01 undefined_table; 23xxx integrity constraint violations.
    if (error.sqlState === '42P01')
      return new CaseStoreError(CaseStoreErrorCode.NOT_MIGRATED, `${context}: run the case migrations`, {
        cause: error,
      });
    if (error.sqlState?.startsWith('23')) {
      const constraint = error.constraint ?? null;
      return new CaseStoreError(
        CaseStoreErrorCode.CONSTRAINT_VIOLATED,
        `${context}: the database refused the change (${constraint ?? error.message})`,
        { cause: error, constraint: constraint ?? undefined },
      );
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new CaseStoreError(CaseStoreErrorCode.QUERY_FAILED, `${context}: ${detail}`, { cause: error });
}
