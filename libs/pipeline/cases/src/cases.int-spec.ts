import { CaseError, CaseErrorCode, Role, type Actor, type CasePolicy } from '@argus/case';
import { alertInput, MINUTE, POLICY, T0 } from '@argus/case/testing';
import { AuditStore } from '@argus/audit-store';
import { CaseStore, type PendingOutboxMessage } from '@argus/case-store';
import type { Decision, StepUpResult } from '@argus/contracts';
import type { PgPool } from '@argus/pg';
import { createTestSchema, type TestSchema } from '@argus/pg/testing';
import { CaseIntakeService, OUTBOX_TOPICS } from './case-intake.service';
import { CaseWorkService } from './case-work.service';

const alice: Actor = { id: 'alice', role: Role.ANALYST };
const bob: Actor = { id: 'bob', role: Role.ANALYST };
const sam: Actor = { id: 'sam', role: Role.SUPERVISOR };

function decision(options: Parameters<typeof alertInput>[0]): Decision {
  return alertInput(options).decision;
}

describe('case intake and work on the real PostgreSQL', () => {
  let testSchema: TestSchema;
  let pool: PgPool;
  let store: CaseStore;
  let now = T0;
  let intake: CaseIntakeService;
  let work: CaseWorkService;
  const policy = (): CasePolicy => POLICY;

  async function drain(): Promise<PendingOutboxMessage[]> {
    const sent: PendingOutboxMessage[] = [];
    while ((await store.relayOutbox(async (messages) => void sent.push(...messages), { topics: OUTBOX_TOPICS })) > 0);
    return sent;
  }

  beforeAll(async () => {
    testSchema = await createTestSchema('cases_test', { max: 4 });
    pool = testSchema.pool;
    store = new CaseStore(pool);
    await store.migrate();
    const audit = new AuditStore(pool);
    await audit.migrate();
    intake = new CaseIntakeService(store, policy, () => now);
    work = new CaseWorkService(store, audit, policy, () => now);
  });

  afterAll(async () => {
    await testSchema?.drop();
  });

  beforeEach(async () => {
    now = T0;
    await pool.query('test.reset', 'TRUNCATE cases, case_alerts, case_events, case_outbox, case_users CASCADE');
  });

  it('opens one case per card, joins later alerts to it, ignores approvals and redeliveries', async () => {
    const first = decision({ id: 't1', card: 'c1', amountMinor: 10_000 });
    const second = decision({ id: 't2', card: 'c1', amountMinor: 30_000, at: T0 + MINUTE });
    const approved = decision({ id: 't3', card: 'c1', outcome: 'APPROVE' });
    await expect(intake.onDecisions([first, second, approved, first])).resolves.toEqual({
      opened: 1,
      joined: 1,
      ignored: 2,
    });
    const [item] = await work.queue({});
    expect(item!.case.alerts.map((alert) => alert.transactionId)).toEqual(['t1', 't2']);
    // Expected loss: the most suspicious open alert (0.2) × everything at risk (100 + 300 EUR).
    expect(item!.expectedLoss).toBeCloseTo(0.2 * 400, 6);
    const events = (await drain()).filter((m) => m.topic === 'caseEvents');
    expect(events.map((m) => (m.payload as { type: string }).type)).toEqual(['OPENED', 'ALERT_JOINED']);
  });

  it('adds every decision of a batch to the hourly rollup, APPROVE included, amounts in the reference currency', async () => {
    await pool.query('test.reset_stats', 'TRUNCATE decision_stats');
    await intake.onDecisions([
      decision({ id: 'r1', card: 'c1', amountMinor: 10_000 }),
      decision({ id: 'a1', card: 'c2', outcome: 'APPROVE', amountMinor: 5_000, currency: 'USD' }),
      decision({ id: 'a2', card: 'c3', outcome: 'APPROVE', amountMinor: 1_000, currency: 'CHF' }),
      decision({ id: 'b1', card: 'c4', outcome: 'BLOCK', amountMinor: 20_000, at: T0 + 61 * MINUTE }),
    ]);
    // A second batch adds to the same hours; a decision redelivered (r1) is counted again, a rollup is not a
    // ledger, while its case is not opened twice.
    await intake.onDecisions([
      decision({ id: 'a3', card: 'c2', outcome: 'APPROVE', amountMinor: 300_000, currency: 'JPY' }),
      decision({ id: 'r1', card: 'c1', amountMinor: 10_000 }),
    ]);
    await expect(work.queue({ cardId: 'c1' })).resolves.toHaveLength(1);
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
      // 50 USD × 0.9 + 300 000 JPY (no minor unit) × 0.006; CHF has no rate in the test policy.
      ['2026-12-04T09:00:00.000Z', 'APPROVE', 3, 45 + 1_800, 1],
      ['2026-12-04T09:00:00.000Z', 'REVIEW', 2, 200, 0],
      ['2026-12-04T10:00:00.000Z', 'BLOCK', 1, 200, 0],
    ]);
  });

  it('takes a batch of many cards in side by side, each card in order, one case each', async () => {
    const batch = Array.from({ length: 40 }, (_, i) =>
      decision({ id: `b${i}`, card: `card-${i % 5}`, at: T0 + i * 1_000, amountMinor: 1_000 + i }),
    );
    await expect(intake.onDecisions(batch)).resolves.toEqual({ opened: 5, joined: 35, ignored: 0 });
    const cases = await work.queue({ limit: 50 });
    expect(cases).toHaveLength(5);
    for (const item of cases) {
      const card = Number(item.case.cardId.slice('card-'.length));
      expect(item.case.alerts.map((alert) => alert.transactionId)).toEqual(
        Array.from({ length: 8 }, (_, k) => `b${card + 5 * k}`),
      );
    }
  });

  it('takes the next case by priority, and a second analyst gets another', async () => {
    await intake.onDecisions([
      decision({ id: 'small', card: 'c1', amountMinor: 5_000 }),
      decision({ id: 'large', card: 'c2', amountMinor: 90_000 }),
    ]);
    const first = await work.takeNext(alice);
    const second = await work.takeNext(bob);
    expect(first!.alerts[0]!.transactionId).toBe('large');
    expect(first).toMatchObject({ status: 'CLAIMED', assignee: 'alice' });
    expect(second!.alerts[0]!.transactionId).toBe('small');
    await expect(work.takeNext(bob)).resolves.toBeNull();
    // The claim expires: the case is back in the queue for anyone.
    now = T0 + 16 * MINUTE;
    await expect(work.takeNext(bob)).resolves.toMatchObject({ id: first!.id, assignee: 'bob' });
  });

  it('closes a confirmed fraud, labels its transactions ANALYST and records every action', async () => {
    await intake.onDecisions([decision({ id: 't1', card: 'c1' })]);
    const kase = (await work.takeNext(alice))!;
    await work.act(kase.id, alice, { type: 'note', text: 'cardholder denies the purchase' });
    const file = await work.open(kase.id, alice);
    expect(file.alerts).toHaveLength(1);
    await work.act(kase.id, alice, {
      type: 'dispose',
      disposition: 'CONFIRMED_FRAUD',
      reasonCode: 'CARDHOLDER_DENIED',
    });
    const closed = await store.get(kase.id);
    expect(closed).toMatchObject({ status: 'CLOSED', disposition: 'CONFIRMED_FRAUD', decidedBy: 'alice' });
    const sent = await drain();
    const labels = sent.filter((m) => m.topic === 'labels').map((m) => m.payload);
    expect(labels).toEqual([
      expect.objectContaining({ transaction_id: 't1', label: 'FRAUD', source: 'ANALYST', card_id: 'c1' }),
    ]);
    const types = (await store.eventsOf(kase.id)).map((event) => event.type);
    expect(types).toEqual(['OPENED', 'CLAIMED', 'NOTE_ADDED', 'VIEWED', 'CLOSED']);
    await expect(work.act(kase.id, alice, { type: 'note', text: 'late' })).rejects.toMatchObject({
      code: CaseErrorCode.INVALID_STATE,
    });
  });

  it('needs a second person to release a BLOCK as legitimate', async () => {
    await intake.onDecisions([decision({ id: 'b1', card: 'c9', outcome: 'BLOCK', amountMinor: 20_000 })]);
    const kase = (await work.takeNext(sam))!;
    await work.act(kase.id, sam, { type: 'dispose', disposition: 'LEGITIMATE', reasonCode: 'CUSTOMER_CONFIRMED' });
    await expect(store.get(kase.id)).resolves.toMatchObject({ status: 'PENDING_APPROVAL', pendingBy: 'sam' });
    const refused = await work.act(kase.id, sam, { type: 'approve' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CaseError);
    expect(refused).toMatchObject({ code: CaseErrorCode.FOUR_EYES });
    const other: Actor = { id: 'rita', role: Role.SUPERVISOR };
    await work.act(kase.id, other, { type: 'approve' });
    await expect(store.get(kase.id)).resolves.toMatchObject({
      status: 'CLOSED',
      disposition: 'LEGITIMATE',
      decidedBy: 'sam',
      approvedBy: 'rita',
    });
    const labels = (await drain()).filter((m) => m.topic === 'labels').map((m) => m.payload);
    expect(labels).toEqual([expect.objectContaining({ transaction_id: 'b1', label: 'LEGITIMATE' })]);
  });

  it('closes a case as legitimate on a passed step-up, raises it on a failed one, marks chargebacks', async () => {
    await intake.onDecisions([
      decision({ id: 'p1', card: 'c1' }),
      decision({ id: 'f1', card: 'c2' }),
      decision({ id: 'k1', card: 'c3' }),
    ]);
    const stepUp = (transactionId: string, outcome: StepUpResult['outcome']): StepUpResult => ({
      transaction_id: transactionId,
      card_id: 'x',
      method: 'THREE_DS',
      outcome,
      completed_at: T0 + MINUTE,
      client_id: 'psp',
      received_at: T0 + MINUTE,
    });
    await expect(
      intake.onStepUps([stepUp('p1', 'PASSED'), stepUp('f1', 'FAILED'), stepUp('zz', 'PASSED')]),
    ).resolves.toBe(2);
    await intake.onLabels([
      {
        transaction_id: 'k1',
        card_id: 'c3',
        label: 'FRAUD',
        source: 'CHARGEBACK',
        reported_at: T0 + 2 * MINUTE,
        event_time: T0,
        note: null,
      },
    ]);
    const byCard = async (card: string) =>
      (await store.list({ cardId: card, now, slaWeight: 1, statuses: ['OPEN', 'CLOSED'] }))[0]!;
    await expect(byCard('c1')).resolves.toMatchObject({
      status: 'CLOSED',
      disposition: 'LEGITIMATE',
      decidedBy: 'system',
    });
    const failed = await byCard('c2');
    // 0.9 (failed step-up floor) × 100 EUR.
    expect(failed).toMatchObject({ status: 'OPEN' });
    expect(failed.expectedLoss).toBeCloseTo(90, 6);
    const charged = await byCard('c3');
    expect(charged.expectedLoss).toBeCloseTo(100, 6);
    // A case the system closed gives no ANALYST label: the step-up result is its own.
    expect((await drain()).filter((m) => m.topic === 'labels')).toEqual([]);
  });

  it('writes one chat notification for a high-value BLOCK and one per breached deadline, when notifying', async () => {
    const notifying = new CaseIntakeService(store, policy, () => now, true);
    const block = decision({ id: 'big', card: 'c7', outcome: 'BLOCK', amountMinor: 400_000 });
    await notifying.onDecisions([block, block, decision({ id: 'small', card: 'c8', outcome: 'BLOCK' })]);
    await expect(notifying.announceBreaches()).resolves.toBe(0);
    now = T0 + 31 * MINUTE; // past the 30-minute SLA of the high-value queue, within the review queue's 4 hours
    await expect(notifying.announceBreaches()).resolves.toBe(1);
    await expect(notifying.announceBreaches()).resolves.toBe(0);
    const notes: string[] = [];
    await store.deliverOutbox(
      'notifications',
      async (message) => void notes.push((message.payload as { id: string }).id),
      {
        // Delivery is on the database's clock (rows are due from when they were written).
        now: Date.now(),
        backoff: () => 1_000,
        giveUpAfterMs: 60_000,
      },
    );
    expect(notes).toEqual(['HIGH_VALUE_BLOCK:big', expect.stringMatching(/^SLA_BREACH:/)]);
    // Without a webhook, nothing is written to be sent.
    await intake.onDecisions([decision({ id: 'big2', card: 'c9', outcome: 'BLOCK', amountMinor: 400_000 })]);
    await expect(intake.announceBreaches()).resolves.toBe(0);
    const { rows } = await pool.query<{ count: string }>(
      'test.notifications',
      `SELECT count(*) AS count FROM case_outbox WHERE topic = 'notifications'`,
    );
    expect(Number(rows[0]!.count)).toBe(2);
  });
});
