import { randomUUID } from 'node:crypto';
import type { PgPool } from '@argus/pg';
import { createTestSchema, type TestSchema } from '@argus/pg/testing';
import type { CaseRow } from './case-store.types';
import { dashboardWindow, HOUR_MS, type DashboardData } from './case.dashboard';
import { CaseStore } from './case.store';

const NOW = Date.UTC(2026, 11, 4, 10, 30, 0);
const MIN = 60_000;
const H = HOUR_MS;
const hourOf = (iso: string) => Date.parse(`2026-12-04T${iso}:00.000Z`);

interface AlertSeed {
  readonly score: number | null;
  readonly rules: readonly string[];
}

function kase(overrides: Partial<CaseRow> & Pick<CaseRow, 'openedAt' | 'dueAt'>): CaseRow {
  const id = randomUUID();
  return {
    id,
    cardId: `card-${id.slice(0, 8)}`,
    customerId: 'cus-1',
    queue: 'review',
    status: 'OPEN',
    assignee: null,
    claimExpiresAt: null,
    snoozedUntil: null,
    escalated: false,
    expectedLoss: 10,
    amountAtRisk: 100,
    alertCount: 1,
    maxScore: null,
    disposition: null,
    reasonCode: null,
    decidedBy: null,
    approvedBy: null,
    pendingBy: null,
    closedAt: null,
    version: 1,
    doc: {},
    ...overrides,
  };
}

const closed = (
  disposition: string,
  decidedBy: string,
  openedAt: number,
  closedAt: number,
  dueAt: number,
  approvedBy: string | null = null,
) => kase({ status: 'CLOSED', disposition, reasonCode: 'TEST', decidedBy, approvedBy, openedAt, closedAt, dueAt });

describe('the case dashboard queries (real PostgreSQL)', () => {
  let testSchema: TestSchema;
  let pool: PgPool;
  let store: CaseStore;

  async function put(row: CaseRow, alerts: readonly AlertSeed[] = [{ score: 50, rules: [] }]): Promise<void> {
    await store.withCardCase(row.cardId, async () => ({
      change: {
        case: row,
        fromVersion: null,
        newAlerts: alerts.map((alert, i) => ({
          transactionId: `${row.id}-${i}`,
          caseId: row.id,
          decidedAt: row.openedAt,
          outcome: 'REVIEW' as const,
          decision: {
            transaction_id: `${row.id}-${i}`,
            score: alert.score,
            reasons: [
              ...alert.rules.map((code) => ({ kind: 'RULE', code, message: code, value: null })),
              // Only RULE reasons are rules: a model factor of the same name is not counted.
              { kind: 'MODEL_FACTOR', code: 'velocity', message: 'many payments', value: 0.4 },
            ],
          },
        })),
        events: [],
        outbox: [],
      },
      result: null,
    }));
  }

  beforeAll(async () => {
    testSchema = await createTestSchema('case_dash', { max: 6 });
    pool = testSchema.pool;
    store = new CaseStore(pool);
    await store.migrate();

    // Open cases (the queues now).
    await put(kase({ openedAt: NOW - 30 * MIN, dueAt: NOW + 210 * MIN })); // A: < 1 h
    await put(
      kase({
        status: 'CLAIMED',
        assignee: 'alice',
        claimExpiresAt: NOW + 10 * MIN,
        openedAt: NOW - 2 * H,
        dueAt: NOW + 2 * H,
      }),
    ); // B: claimed, 1–4 h
    await put(kase({ status: 'PENDING_APPROVAL', pendingBy: 'bob', openedAt: NOW - 5 * H, dueAt: NOW - H })); // C: breached at 09:30
    await put(kase({ status: 'SNOOZED', snoozedUntil: NOW + H, openedAt: NOW - 30 * H, dueAt: NOW - 26 * H })); // D: breached before the window
    await put(
      kase({
        status: 'CLAIMED',
        assignee: 'bob',
        claimExpiresAt: NOW - MIN,
        openedAt: NOW - 3 * H,
        dueAt: NOW + H,
      }),
    ); // E: its claim ran out, open again
    await put(kase({ queue: 'high-value', openedAt: NOW - 45 * MIN, dueAt: NOW - 15 * MIN })); // F: breached at 10:15

    // Closed cases.
    await put(closed('CONFIRMED_FRAUD', 'alice', NOW - 6 * H, NOW - 4 * H, NOW - 5 * H), [
      { score: 97, rules: ['velocity', 'mcc'] },
      { score: 88, rules: ['velocity'] },
    ]); // G: closed 06:30 after its 05:30 deadline
    await put(closed('LEGITIMATE', 'alice', NOW - 3 * H, NOW - 2 * H, NOW + H, 'sam'), [{ score: 60, rules: ['mcc'] }]); // H
    await put(closed('LEGITIMATE', 'bob', NOW - 10 * H, NOW - 9.5 * H, NOW - 6 * H), [
      { score: null, rules: ['velocity'] },
    ]); // I: closed 01:00
    await put(closed('INCONCLUSIVE', 'bob', NOW - 2 * H, NOW - H, NOW + 2 * H), [{ score: 40, rules: ['mcc'] }]); // J
    await put(closed('LEGITIMATE', 'system', NOW - 1.5 * H, NOW - H, NOW + 3 * H), [{ score: 72, rules: [] }]); // K: a passed step-up
    await put(closed('CONFIRMED_FRAUD', 'alice', NOW - 31 * H, NOW - 30 * H, NOW - 30.5 * H), [
      { score: 99, rules: ['velocity'] },
    ]); // L: closed before the window

    // The rollup, in two batches adding to the same hour.
    await store.addDecisionStats([
      { decidedAt: hourOf('09:10'), outcome: 'APPROVE', amount: 100 },
      { decidedAt: hourOf('09:20'), outcome: 'APPROVE', amount: 50 },
      { decidedAt: hourOf('09:40'), outcome: 'REVIEW', amount: 30 },
    ]);
    await store.addDecisionStats([
      { decidedAt: hourOf('09:50'), outcome: 'APPROVE', amount: null },
      { decidedAt: hourOf('10:05'), outcome: 'BLOCK', amount: 200 },
      { decidedAt: Date.parse('2026-12-03T09:59:00.000Z'), outcome: 'APPROVE', amount: 1 },
    ]);
  });

  afterAll(async () => {
    await testSchema?.drop();
  });

  let day: DashboardData;
  beforeAll(async () => {
    day = await store.dashboard(dashboardWindow(NOW, 24));
  });

  it('adds each batch to the hour it belongs to', async () => {
    const { rows } = await pool.query<{
      hour: Date;
      outcome: string;
      decisions: string;
      amount: string;
      unconverted: string;
    }>('test.stats', 'SELECT hour, outcome, decisions, amount, unconverted FROM decision_stats ORDER BY hour, outcome');
    expect(
      rows.map((r) => [r.hour.toISOString(), r.outcome, Number(r.decisions), Number(r.amount), Number(r.unconverted)]),
    ).toEqual([
      ['2026-12-03T09:00:00.000Z', 'APPROVE', 1, 1, 0],
      ['2026-12-04T09:00:00.000Z', 'APPROVE', 3, 150, 1],
      ['2026-12-04T09:00:00.000Z', 'REVIEW', 1, 30, 0],
      ['2026-12-04T10:00:00.000Z', 'BLOCK', 1, 200, 0],
    ]);
  });

  it('counts decisions per hourly bucket and outcome, every bucket present', () => {
    expect(day.window.bucket).toBe('hour');
    expect(day.decisions).toHaveLength(25);
    expect(day.decisions[0]!.start).toBe(Date.parse('2026-12-03T10:00:00.000Z'));
    const nonEmpty = day.decisions.filter((b) => b.approve + b.review + b.block > 0);
    expect(nonEmpty).toEqual([
      { start: hourOf('09:00'), approve: 3, review: 1, block: 0, amount: 180, unconverted: 1 },
      { start: hourOf('10:00'), approve: 0, review: 0, block: 1, amount: 200, unconverted: 0 },
    ]);
  });

  it('counts decisions per UTC day beyond 72 hours', async () => {
    const days = await store.dashboard(dashboardWindow(NOW, 96));
    expect(days.window.bucket).toBe('day');
    expect(days.decisions.filter((b) => b.approve + b.review + b.block > 0)).toEqual([
      { start: Date.parse('2026-12-03T00:00:00.000Z'), approve: 1, review: 0, block: 0, amount: 1, unconverted: 0 },
      { start: Date.parse('2026-12-04T00:00:00.000Z'), approve: 3, review: 1, block: 1, amount: 380, unconverted: 1 },
    ]);
    // The case closed 30 hours ago is in the longer window.
    expect(days.analysts.totals.find((t) => t.analyst === 'alice')!.dispositions).toBe(3);
  });

  it('reads the queues as they are now', () => {
    expect(day.queues).toEqual([
      {
        queue: 'high-value',
        open: 1,
        claimed: 0,
        snoozed: 0,
        pendingApproval: 0,
        breached: 1,
        oldestOpenedAt: NOW - 45 * MIN,
        ages: { under1h: 1, from1hTo4h: 0, from4hTo24h: 0, over24h: 0 },
      },
      {
        queue: 'review',
        open: 5,
        claimed: 1,
        snoozed: 1,
        pendingApproval: 1,
        breached: 2,
        oldestOpenedAt: NOW - 30 * H,
        ages: { under1h: 1, from1hTo4h: 2, from4hTo24h: 1, over24h: 1 },
      },
    ]);
  });

  it('counts SLA breaches in the bucket of the deadline, closed late or not closed', () => {
    const breached = day.breaches.filter((b) => b.breached > 0);
    expect(breached).toEqual([
      { start: hourOf('05:00'), breached: 1 },
      { start: hourOf('09:00'), breached: 1 },
      { start: hourOf('10:00'), breached: 1 },
    ]);
    expect(day.breaches).toHaveLength(25);
  });

  it("counts each analyst's dispositions and approvals per bucket, and the median time to disposition", () => {
    expect(day.analysts.buckets).toEqual([
      { start: hourOf('01:00'), analyst: 'bob', dispositions: 1, approvals: 0 },
      { start: hourOf('06:00'), analyst: 'alice', dispositions: 1, approvals: 0 },
      { start: hourOf('08:00'), analyst: 'alice', dispositions: 1, approvals: 0 },
      { start: hourOf('08:00'), analyst: 'sam', dispositions: 0, approvals: 1 },
      { start: hourOf('09:00'), analyst: 'bob', dispositions: 1, approvals: 0 },
    ]);
    expect(day.analysts.totals).toEqual([
      { analyst: 'alice', dispositions: 2, approvals: 0, medianMsToDisposition: 1.5 * H },
      { analyst: 'bob', dispositions: 2, approvals: 0, medianMsToDisposition: 0.75 * H },
      { analyst: 'sam', dispositions: 0, approvals: 1, medianMsToDisposition: null },
    ]);
    expect(day.analysts.medianMsToDisposition).toBe(H);
  });

  it('measures the precision of dispositions per rule and per score band, inconclusive apart', () => {
    expect(day.precision.byRule).toEqual([
      { key: 'mcc', alerts: 3, confirmedFraud: 1, legitimate: 1, inconclusive: 1, precision: 0.5 },
      { key: 'velocity', alerts: 3, confirmedFraud: 2, legitimate: 1, inconclusive: 0, precision: 2 / 3 },
    ]);
    expect(day.precision.byScoreBand).toEqual([
      { key: '0-49', alerts: 1, confirmedFraud: 0, legitimate: 0, inconclusive: 1, precision: null },
      { key: '50-69', alerts: 1, confirmedFraud: 0, legitimate: 1, inconclusive: 0, precision: 0 },
      { key: '70-84', alerts: 1, confirmedFraud: 0, legitimate: 1, inconclusive: 0, precision: 0 },
      { key: '85-94', alerts: 1, confirmedFraud: 1, legitimate: 0, inconclusive: 0, precision: 1 },
      { key: '95-100', alerts: 1, confirmedFraud: 1, legitimate: 0, inconclusive: 0, precision: 1 },
      { key: 'unscored', alerts: 1, confirmedFraud: 0, legitimate: 1, inconclusive: 0, precision: 0 },
    ]);
  });

  it('counts a case in the precision rollup once, when it closes, and takes it out when it is forgotten', async () => {
    const velocity = async () =>
      (await store.dashboard(dashboardWindow(NOW, 24))).precision.byRule.find((row) => row.key === 'velocity')!;
    const before = await velocity();
    // Opened with two alerts, then claimed, then closed by updates of the row, as analysts do.
    const open = kase({ openedAt: NOW - 3 * H, dueAt: NOW + H });
    await put(open, [{ score: 91, rules: ['velocity'] }]);
    const update = async (next: CaseRow, fromVersion: number) =>
      store.withCase(next.id, async () => ({
        change: { case: next, fromVersion, events: [], outbox: [] },
        result: null,
      }));
    const claimed = { ...open, status: 'CLAIMED' as const, assignee: 'alice', claimExpiresAt: NOW + H, version: 2 };
    await update(claimed, 1);
    await expect(velocity()).resolves.toEqual(before);
    const closedRow = {
      ...claimed,
      status: 'CLOSED' as const,
      disposition: 'CONFIRMED_FRAUD',
      reasonCode: 'TEST',
      decidedBy: 'alice',
      closedAt: NOW - H,
      version: 3,
    };
    await update(closedRow, 2);
    // A later change of a closed case (a chargeback attached) does not count it again.
    await update({ ...closedRow, version: 4 }, 3);
    await expect(velocity()).resolves.toMatchObject({
      alerts: before.alerts + 1,
      confirmedFraud: before.confirmedFraud + 1,
    });
    // Its alert's transaction id is `${case id}-0`: forget by that prefix.
    await expect(store.forgetCasesOf(`${open.id}-`)).resolves.toBe(1);
    await expect(velocity()).resolves.toEqual(before);
  });
});
