import { randomBytes, randomUUID } from 'node:crypto';
import type { PgPool } from '@argus/pg';
import { createTestSchema, type TestSchema } from '@argus/pg/testing';
import { CaseStoreError, CaseStoreErrorCode } from './case-store.errors';
import type { CaseChange, CaseRow } from './case-store.types';
import { CaseStore } from './case.store';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const MIN = 60_000;

function row(overrides: Partial<CaseRow> = {}): CaseRow {
  return {
    id: randomUUID(),
    cardId: `card-${randomBytes(3).toString('hex')}`,
    customerId: 'cus-1',
    queue: 'review',
    status: 'OPEN',
    openedAt: T0,
    dueAt: T0 + 60 * MIN,
    assignee: null,
    claimExpiresAt: null,
    snoozedUntil: null,
    escalated: false,
    expectedLoss: 10,
    amountAtRisk: 100,
    alertCount: 1,
    maxScore: 80,
    disposition: null,
    reasonCode: null,
    decidedBy: null,
    approvedBy: null,
    pendingBy: null,
    closedAt: null,
    version: 1,
    doc: { note: 'domain document' },
    ...overrides,
  };
}

function opening(kase: CaseRow, transactionId = `tx-${kase.id.slice(0, 8)}`): CaseChange {
  return {
    case: kase,
    fromVersion: null,
    newAlerts: [{ transactionId, caseId: kase.id, decidedAt: kase.openedAt, outcome: 'REVIEW', decision: { id: 1 } }],
    events: [
      {
        eventId: `${kase.id}:1`,
        caseId: kase.id,
        type: 'OPENED',
        actor: 'system',
        at: kase.openedAt,
        transactionId,
        details: { queue: kase.queue },
      },
    ],
    outbox: [{ topic: 'case-events', key: kase.cardId, payload: { event_id: `${kase.id}:1` } }],
  };
}

describe('CaseStore (real PostgreSQL)', () => {
  let testSchema: TestSchema;
  let pool: PgPool;
  let store: CaseStore;

  beforeAll(async () => {
    testSchema = await createTestSchema('case_test', { max: 6 });
    pool = testSchema.pool;
    store = new CaseStore(pool);
    await store.migrate();
  });

  afterAll(async () => {
    await testSchema?.drop();
  });

  beforeEach(async () => {
    await pool.query('test.reset', 'TRUNCATE cases, case_alerts, case_events, case_outbox, case_users CASCADE');
  });

  const open = (kase: CaseRow) => store.withCardCase(kase.cardId, async () => ({ change: opening(kase), result: 1 }));

  it('migrates once', async () => {
    await expect(store.migrate()).resolves.toMatchObject({ applied: [], alreadyApplied: 5 });
  });

  it('writes a case with its alert, event and outbox record, and reads them back', async () => {
    const kase = row();
    await open(kase);
    await expect(store.get(kase.id)).resolves.toEqual(kase);
    await expect(store.caseOfTransaction(`tx-${kase.id.slice(0, 8)}`)).resolves.toBe(kase.id);
    await expect(store.eventsOf(kase.id)).resolves.toMatchObject([
      { seq: 1, type: 'OPENED', details: { queue: 'review' } },
    ]);
    await expect(store.alertsOf(kase.id)).resolves.toMatchObject([{ outcome: 'REVIEW', decision: { id: 1 } }]);
    await expect(store.outboxBacklog()).resolves.toBe(1);
    await expect(store.get('not-a-uuid')).resolves.toBeNull();
  });

  it('gives a card one open case: intakes racing on one card see the case the first one opened', async () => {
    const cardId = 'card-race';
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.withCardCase(cardId, async (existing) =>
          existing === null
            ? { change: opening(row({ cardId })), result: 'opened' }
            : { change: null, result: 'joined' },
        ),
      ),
    );
    expect(results.filter((r) => r === 'opened')).toHaveLength(1);
    await expect(store.list({ cardId, now: T0, slaWeight: 1 })).resolves.toHaveLength(1);
  });

  it('refuses a second open case for a card even from a writer that skips the card lock', async () => {
    const first = row({ cardId: 'card-x' });
    await open(first);
    const second = row({ cardId: 'card-x' });
    await expect(
      store.withCase(first.id, async () => ({ change: opening(second, 'tx-other'), result: 1 })),
    ).rejects.toMatchObject({ code: CaseStoreErrorCode.CONSTRAINT_VIOLATED, constraint: 'cases_one_open_per_card' });
  });

  it('refuses an approval by the maker of the disposition (four eyes in the database)', async () => {
    const kase = row();
    await open(kase);
    const closed = row({
      ...kase,
      status: 'CLOSED',
      disposition: 'LEGITIMATE',
      reasonCode: 'CUSTOMER_CONFIRMED',
      decidedBy: 'alice',
      approvedBy: 'alice',
      closedAt: T0 + MIN,
      version: 2,
    });
    const error = await store
      .withCase(kase.id, async () => ({ change: { case: closed, fromVersion: 1, events: [], outbox: [] }, result: 1 }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CaseStoreError);
    expect(error).toMatchObject({ code: CaseStoreErrorCode.CONSTRAINT_VIOLATED, constraint: 'cases_four_eyes' });
    await expect(store.get(kase.id)).resolves.toMatchObject({ status: 'OPEN', version: 1 });
  });

  it('refuses an update from a stale version', async () => {
    const kase = row();
    await open(kase);
    const change = { case: row({ ...kase, version: 3 }), fromVersion: 2, events: [], outbox: [] };
    await expect(store.withCase(kase.id, async () => ({ change, result: 1 }))).rejects.toMatchObject({
      code: CaseStoreErrorCode.VERSION_CONFLICT,
    });
  });

  it('sorts the queue by expected loss grown by the share of the SLA used, or by due time', async () => {
    // At T0 + 50 min: a (loss 10, 50 of 60 min used) = 18.3; b (loss 15, fresh) = 15; c (loss 12, 4-hour SLA, 50 min) = 14.5.
    const a = row({ expectedLoss: 10, openedAt: T0, dueAt: T0 + 60 * MIN });
    const b = row({ expectedLoss: 15, openedAt: T0 + 50 * MIN, dueAt: T0 + 110 * MIN });
    const c = row({ expectedLoss: 12, openedAt: T0, dueAt: T0 + 240 * MIN });
    for (const kase of [a, b, c]) await open(kase);
    const now = T0 + 50 * MIN;
    const byPriority = await store.list({ now, slaWeight: 1 });
    expect(byPriority.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(byPriority[0]!.priority).toBeCloseTo(10 * (1 + 50 / 60), 6);
    const byDue = await store.list({ now, slaWeight: 1, sort: 'due' });
    expect(byDue.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    // Without the SLA term, the loss alone decides.
    expect((await store.list({ now, slaWeight: 0 })).map((r) => r.id)).toEqual([b.id, c.id, a.id]);
    await expect(store.list({ now: T0 + 70 * MIN, slaWeight: 1, breached: true })).resolves.toHaveLength(1);
  });

  it('filters by queue, assignee and effective status (an expired claim is open again)', async () => {
    const claimed = row({ status: 'CLAIMED', assignee: 'alice', claimExpiresAt: T0 + 15 * MIN });
    const other = row({ queue: 'high-value' });
    await open(claimed);
    await open(other);
    const at = (now: number, statuses: CaseRow['status'][]) =>
      store.list({ now, slaWeight: 1, statuses }).then((rows) => rows.map((r) => r.id));
    await expect(at(T0, ['CLAIMED'])).resolves.toEqual([claimed.id]);
    await expect(at(T0 + 20 * MIN, ['CLAIMED'])).resolves.toEqual([]);
    await expect(at(T0 + 20 * MIN, ['OPEN'])).resolves.toHaveLength(2);
    await expect(store.list({ now: T0, slaWeight: 1, queues: ['high-value'] })).resolves.toMatchObject([
      { id: other.id },
    ]);
    await expect(store.list({ now: T0, slaWeight: 1, assignee: 'alice' })).resolves.toMatchObject([{ id: claimed.id }]);
    await expect(store.list({ now: T0, slaWeight: 1, limit: 0 })).rejects.toMatchObject({
      code: CaseStoreErrorCode.INVALID_ARGUMENT,
    });
  });

  it('gives analysts taking next at the same time different cases, highest priority first', async () => {
    const cases = Array.from({ length: 5 }, (_, i) => row({ expectedLoss: 10 + i }));
    for (const kase of cases) await open(kase);
    const take = (analyst: string) =>
      store.takeNext({ queues: ['review'], now: T0, slaWeight: 1 }, async (kase) => ({
        change: {
          case: {
            ...kase,
            status: 'CLAIMED',
            assignee: analyst,
            claimExpiresAt: T0 + 15 * MIN,
            version: kase.version + 1,
          },
          fromVersion: kase.version,
          events: [],
          outbox: [],
        },
        result: kase.id,
      }));
    const taken = await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map(take));
    expect(new Set(taken.filter((id) => id !== null)).size).toBe(5);
    expect(taken.filter((id) => id === null)).toHaveLength(1);
    // Sequentially the order is by priority.
    await pool.query('test.reopen', `UPDATE cases SET status = 'OPEN', assignee = NULL, claim_expires_at = NULL`);
    const first = await take('z');
    expect(first).toBe(cases[4]!.id);
  });

  it('relays the outbox in order, marks what was sent, and keeps what failed to send', async () => {
    for (let i = 0; i < 3; i += 1) await open(row());
    await expect(
      store.relayOutbox(
        async () => {
          throw new Error('broker away');
        },
        { topics: ['case-events'] },
      ),
    ).rejects.toThrow(/broker away/);
    await expect(store.outboxBacklog()).resolves.toBe(3);
    const sent: number[] = [];
    await expect(
      store.relayOutbox(async (messages) => void sent.push(...messages.map((m) => m.id)), {
        topics: ['case-events'],
        limit: 2,
      }),
    ).resolves.toBe(2);
    await expect(
      store.relayOutbox(async (messages) => void sent.push(...messages.map((m) => m.id)), { topics: ['case-events'] }),
    ).resolves.toBe(1);
    expect(sent).toEqual([...sent].sort((x, y) => x - y));
    await expect(store.outboxBacklog()).resolves.toBe(0);
  });

  it('delivers webhook rows one by one, retrying a failed one only after its backoff, giving up after the window', async () => {
    const kase = row();
    await store.withCardCase(kase.cardId, async () => ({
      change: {
        ...opening(kase),
        outbox: [
          ...opening(kase).outbox,
          { topic: 'notifications', key: 'n1', payload: { text: 'one' } },
          { topic: 'notifications', key: 'n2', payload: { text: 'two' } },
        ],
      },
      result: 1,
    }));
    const now = Date.now();
    const backoff = () => 60_000;
    const failing = async (message: { key: string }) => {
      if (message.key === 'n2') throw new Error('webhook answered 503');
    };
    await expect(
      store.deliverOutbox('notifications', failing, { now, backoff, giveUpAfterMs: 3_600_000 }),
    ).resolves.toEqual({
      sent: 1,
      retried: 1,
      abandoned: 0,
    });
    // Not due again before its backoff.
    await expect(
      store.deliverOutbox('notifications', failing, { now: now + 1_000, backoff, giveUpAfterMs: 3_600_000 }),
    ).resolves.toEqual({
      sent: 0,
      retried: 0,
      abandoned: 0,
    });
    // Due, still failing, past the window: given up on, and no longer waiting.
    await expect(
      store.deliverOutbox('notifications', failing, { now: now + 2 * 3_600_000, backoff, giveUpAfterMs: 3_600_000 }),
    ).resolves.toEqual({ sent: 0, retried: 0, abandoned: 1 });
    const { rows } = await pool.query<{
      message_key: string;
      attempts: number;
      last_error: string | null;
      failed: boolean;
    }>(
      'test.outbox',
      `SELECT message_key, attempts, last_error, failed_at IS NOT NULL AS failed FROM case_outbox
        WHERE topic = 'notifications' ORDER BY id`,
    );
    expect(rows).toEqual([
      { message_key: 'n1', attempts: 0, last_error: null, failed: false },
      { message_key: 'n2', attempts: 2, last_error: 'webhook answered 503', failed: true },
    ]);
    // The Kafka relay never takes webhook rows.
    await expect(store.relayOutbox(async () => undefined, { topics: ['case-events'] })).resolves.toBe(1);
    await expect(store.outboxBacklog()).resolves.toBe(0);
  });

  it('announces a breach once per case and deadline', async () => {
    const late = row({ dueAt: T0 + 5 * MIN });
    const fresh = row({ dueAt: T0 + 500 * MIN });
    await open(late);
    await open(fresh);
    const announce = (now: number) =>
      store.announceBreaches(now, (kase) => ({
        case: kase,
        fromVersion: kase.version,
        events: [],
        outbox: [{ topic: 'notifications', key: `breach:${kase.id}`, payload: { text: 'late' } }],
      }));
    await expect(announce(T0 + 10 * MIN)).resolves.toBe(1);
    await expect(announce(T0 + 20 * MIN)).resolves.toBe(0);
    // A new deadline (the case moved queue) can breach again.
    await pool.query('test.move_deadline', `UPDATE cases SET due_at = due_at + interval '30 minutes' WHERE id = $1`, [
      late.id,
    ]);
    await expect(announce(T0 + 40 * MIN)).resolves.toBe(1);
  });

  it('forgets the cases of a simulated population, not a case that also holds a real alert', async () => {
    const demo = row();
    const mixed = row();
    const other = row();
    await store.withCardCase(demo.cardId, async () => ({ change: opening(demo, 'demo_1-tx-1'), result: 1 }));
    await store.withCardCase(mixed.cardId, async () => ({ change: opening(mixed, 'demo_1-tx-2'), result: 1 }));
    await store.withCase(mixed.id, async (kase) => ({
      change: {
        case: { ...kase, alertCount: 2, version: kase.version + 1 },
        fromVersion: kase.version,
        newAlerts: [{ transactionId: 'real-tx-9', caseId: mixed.id, decidedAt: T0, outcome: 'BLOCK', decision: {} }],
        events: [],
        outbox: [],
      },
      result: 1,
    }));
    await store.withCardCase(other.cardId, async () => ({ change: opening(other, 'demoX1-tx-3'), result: 1 }));
    // "_" is a character here, not LIKE's wildcard: demoX1 is not demo_1.
    await expect(store.forgetCasesOf('demo_1-')).resolves.toBe(1);
    await expect(store.get(demo.id)).resolves.toBeNull();
    await expect(store.eventsOf(demo.id)).resolves.toEqual([]);
    await expect(store.get(mixed.id)).resolves.not.toBeNull();
    await expect(store.get(other.id)).resolves.not.toBeNull();
    await expect(store.forgetCasesOf('de')).rejects.toMatchObject({ code: CaseStoreErrorCode.INVALID_ARGUMENT });
  });

  it('keeps users with their role and password hash', async () => {
    await store.upsertUser({ id: 'alice', displayName: 'Alice', role: 'analyst', passwordHash: 'h1', disabled: false });
    await store.upsertUser({
      id: 'alice',
      displayName: 'Alice B',
      role: 'supervisor',
      passwordHash: 'h2',
      disabled: false,
    });
    await expect(store.findUser('alice')).resolves.toEqual({
      id: 'alice',
      displayName: 'Alice B',
      role: 'supervisor',
      passwordHash: 'h2',
      disabled: false,
    });
    await expect(store.findUser('nobody')).resolves.toBeNull();
    await expect(
      store.upsertUser({ id: 'Bad Name', displayName: 'x', role: 'analyst', passwordHash: 'h', disabled: false }),
    ).rejects.toMatchObject({ code: CaseStoreErrorCode.CONSTRAINT_VIOLATED });
  });
});
