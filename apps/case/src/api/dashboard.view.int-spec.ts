import { randomUUID } from 'node:crypto';
import { POLICY } from '@argus/case/testing';
import { CaseStore, type CaseRow } from '@argus/case-store';
import type { PgPool } from '@argus/pg';
import { createTestSchema, type TestSchema } from '@argus/pg/testing';
import { z } from 'zod';
import { CaseApiError } from './case-api.errors';
import { DashboardResponse } from './dashboard.schemas';
import { dashboardAnswer } from './dashboard.view';

const HOUR = 3_600_000;

// What DashboardController answers, without Nest (ESM only, which Jest on Node 20 cannot load): the query
// validated, the store read, the view, and the view checked against the documented schema.
describe('GET /v1/dashboard (real PostgreSQL)', () => {
  let testSchema: TestSchema;
  let pool: PgPool;
  let store: CaseStore;

  beforeAll(async () => {
    testSchema = await createTestSchema('case_dash_api', { max: 4 });
    pool = testSchema.pool;
    store = new CaseStore(pool);
    await store.migrate();

    const now = Date.now();
    // One open review case opened two hours ago, past its one-hour deadline; one confirmed fraud closed an hour
    // ago on rule r-1 with a score of 90.
    const id = randomUUID();
    const open = randomUUID();
    await store.withCardCase('card-open', async () => ({
      change: {
        case: caseRow(open, 'card-open', { openedAt: now - 2 * HOUR, dueAt: now - HOUR }),
        fromVersion: null,
        events: [],
        outbox: [],
      },
      result: null,
    }));
    await store.withCardCase('card-closed', async () => ({
      change: {
        case: caseRow(id, 'card-closed', {
          openedAt: now - 3 * HOUR,
          dueAt: now + HOUR,
          status: 'CLOSED',
          disposition: 'CONFIRMED_FRAUD',
          reasonCode: 'TEST',
          decidedBy: 'ana',
          closedAt: now - HOUR,
        }),
        fromVersion: null,
        newAlerts: [
          {
            transactionId: 'tx-1',
            caseId: id,
            decidedAt: now - 3 * HOUR,
            outcome: 'BLOCK',
            decision: { score: 90, reasons: [{ kind: 'RULE', code: 'r-1', message: 'm', value: null }] },
          },
        ],
        events: [],
        outbox: [],
      },
      result: null,
    }));
    await store.addDecisionStats([
      { decidedAt: now - 3 * HOUR, outcome: 'BLOCK', amount: 100 },
      { decidedAt: now - 3 * HOUR, outcome: 'APPROVE', amount: 20 },
      { decidedAt: now - 3 * HOUR, outcome: 'APPROVE', amount: 20 },
      { decidedAt: now - 3 * HOUR, outcome: 'REVIEW', amount: 10 },
    ]);
  });

  afterAll(async () => {
    await testSchema?.drop();
  });

  const get = (query: Record<string, string>) => dashboardAnswer(store, POLICY, query, Date.now());

  it('answers the documented shape with the counts of the window', async () => {
    const body = DashboardResponse.parse(await get({}));
    expect(body.window).toMatchObject({ hours: 24, bucket: 'hour' });
    expect(body.decisions.buckets).toHaveLength(25);
    expect(body.decisions.totals).toEqual({
      approve: 2,
      review: 1,
      block: 1,
      total: 4,
      amount: 150,
      unconverted: 0,
      review_rate: 0.5,
      review_share: 0.25,
    });
    // The policy's queues in order, empty ones too.
    expect(body.queues.map((q) => [q.queue, q.open, q.breached])).toEqual([
      ['high-value', 0, 0],
      ['review', 1, 1],
      ['supervisor', 0, 0],
    ]);
    expect(body.queues[1]!.age).toEqual({ under_1h: 0, from_1h_to_4h: 1, from_4h_to_24h: 0, over_24h: 0 });
    expect(body.sla_breaches.reduce((sum, b) => sum + b.breached, 0)).toBe(1);
    expect(body.analysts.totals).toEqual([
      { analyst: 'ana', dispositions: 1, approvals: 0, median_minutes_to_disposition: 120 },
    ]);
    expect(body.precision.by_rule).toEqual([
      { rule_id: 'r-1', alerts: 1, confirmed_fraud: 1, legitimate: 0, inconclusive: 0, precision: 1 },
    ]);
    expect(body.precision.by_score_band.find((b) => b.band === '85-94')).toMatchObject({ alerts: 1, precision: 1 });
  });

  it('buckets by day beyond 72 hours', async () => {
    const body = DashboardResponse.parse(await get({ hours: '200' }));
    expect(body.window.bucket).toBe('day');
    expect(body.decisions.totals.total).toBe(4);
  });

  it('refuses a window out of range or not a number naming the field, and an unknown parameter', async () => {
    for (const query of [{ hours: '721' }, { hours: '0' }, { hours: 'abc' }, { hours: '1.5' }])
      await expect(get(query)).rejects.toMatchObject({ code: 'INVALID_REQUEST', fieldErrors: [{ field: 'hours' }] });
    const unknown = await get({ days: '2' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(CaseApiError);
    expect(unknown).toMatchObject({ fieldErrors: [{ field: '(query)', message: 'unknown field(s): days' }] });
  });

  it('has a response schema the OpenAPI document can describe', () => {
    const described = z.toJSONSchema(DashboardResponse, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(described.properties).sort()).toEqual(Object.keys(DashboardResponse.shape).sort());
    expect(described.required.sort()).toEqual(Object.keys(DashboardResponse.shape).sort());
  });
});

function caseRow(id: string, cardId: string, overrides: Partial<CaseRow>): CaseRow {
  return {
    id,
    cardId,
    customerId: 'cus-1',
    queue: 'review',
    status: 'OPEN',
    assignee: null,
    claimExpiresAt: null,
    snoozedUntil: null,
    escalated: false,
    expectedLoss: 1,
    amountAtRisk: 100,
    alertCount: 1,
    maxScore: 90,
    disposition: null,
    reasonCode: null,
    decidedBy: null,
    approvedBy: null,
    pendingBy: null,
    closedAt: null,
    version: 1,
    doc: {},
    openedAt: 0,
    dueAt: 1,
    ...overrides,
  };
}
