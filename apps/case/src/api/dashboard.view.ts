import type { CasePolicy } from '@argus/case';
import {
  dashboardWindow,
  SCORE_BANDS,
  type CaseStore,
  type DashboardData,
  type OutcomeBucket,
  type PrecisionRow,
  type QueueNow,
} from '@argus/case-store';
import { parseRequest } from './case-api.schemas';
import { DashboardParams, type DashboardResponse } from './dashboard.schemas';

// GET /v1/dashboard's answer: snake_case, times ISO-8601 UTC, amounts in the policy's reference currency.

const iso = (ms: number) => new Date(ms).toISOString();
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
const toMinutes = (ms: number | null) => (ms === null ? null : round(ms / 60_000, 1));
const shareOf = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

type Response = DashboardResponse;

/** GET /v1/dashboard: the query validated (INVALID_REQUEST naming the field), the window read, the answer. */
export async function dashboardAnswer(
  store: CaseStore,
  policy: CasePolicy,
  query: unknown,
  now: number,
): Promise<Response> {
  const { hours = 24 } = parseRequest(DashboardParams, query, 'query');
  return dashboardView(await store.dashboard(dashboardWindow(now, hours)), policy);
}

export function dashboardView(data: DashboardData, policy: CasePolicy): Response {
  const { window } = data;
  const totals = data.decisions.reduce<Omit<OutcomeBucket, 'start'>>(
    (sum, b) => ({
      approve: sum.approve + b.approve,
      review: sum.review + b.review,
      block: sum.block + b.block,
      amount: sum.amount + b.amount,
      unconverted: sum.unconverted + b.unconverted,
    }),
    { approve: 0, review: 0, block: 0, amount: 0, unconverted: 0 },
  );
  return {
    generated_at: iso(window.now),
    reference_currency: policy.referenceCurrency,
    window: {
      hours: window.hours,
      since: iso(window.since),
      from: iso(window.from),
      to: iso(window.now),
      bucket: window.bucket,
    },
    decisions: {
      buckets: data.decisions.map((bucket) => ({ start: iso(bucket.start), ...outcomeView(bucket) })),
      totals: outcomeView(totals),
    },
    queues: queuesView(data.queues, policy, window.now),
    sla_breaches: data.breaches.map((bucket) => ({ start: iso(bucket.start), breached: bucket.breached })),
    analysts: {
      buckets: data.analysts.buckets.map((bucket) => ({
        start: iso(bucket.start),
        analyst: bucket.analyst,
        dispositions: bucket.dispositions,
        approvals: bucket.approvals,
      })),
      totals: data.analysts.totals.map((total) => ({
        analyst: total.analyst,
        dispositions: total.dispositions,
        approvals: total.approvals,
        median_minutes_to_disposition: toMinutes(total.medianMsToDisposition),
      })),
      median_minutes_to_disposition: toMinutes(data.analysts.medianMsToDisposition),
    },
    precision: {
      by_rule: data.precision.byRule.map((row) => ({ rule_id: row.key, ...precisionView(row) })),
      by_score_band: data.precision.byScoreBand.map((row) => {
        const band = SCORE_BANDS.find((b) => b.band === row.key);
        return {
          band: row.key,
          min_score: band?.min ?? null,
          max_score: band?.max ?? null,
          ...precisionView(row),
        };
      }),
    },
  };
}

function outcomeView(counts: Omit<OutcomeBucket, 'start'>): Response['decisions']['totals'] {
  const total = counts.approve + counts.review + counts.block;
  return {
    approve: counts.approve,
    review: counts.review,
    block: counts.block,
    total,
    amount: round(counts.amount),
    unconverted: counts.unconverted,
    review_rate: shareOf(counts.review + counts.block, total),
    review_share: shareOf(counts.review, total),
  };
}

/** The policy's queues in its order (empty ones too), then any other queue that still holds open cases. */
function queuesView(queues: readonly QueueNow[], policy: CasePolicy, now: number): Response['queues'] {
  const byId = new Map(queues.map((queue) => [queue.queue, queue]));
  const ids = [...policy.queues.map((queue) => queue.id), ...queues.map((queue) => queue.queue)];
  return [...new Set(ids)].map((id) => {
    const queue = byId.get(id);
    const configured = policy.queues.find((q) => q.id === id);
    return {
      queue: id,
      name: configured?.name ?? null,
      sla_minutes: configured?.slaMinutes ?? null,
      open: queue?.open ?? 0,
      claimed: queue?.claimed ?? 0,
      snoozed: queue?.snoozed ?? 0,
      pending_approval: queue?.pendingApproval ?? 0,
      breached: queue?.breached ?? 0,
      oldest_opened_at: queue?.oldestOpenedAt == null ? null : iso(queue.oldestOpenedAt),
      oldest_age_minutes: queue?.oldestOpenedAt == null ? null : toMinutes(Math.max(0, now - queue.oldestOpenedAt)),
      age: {
        under_1h: queue?.ages.under1h ?? 0,
        from_1h_to_4h: queue?.ages.from1hTo4h ?? 0,
        from_4h_to_24h: queue?.ages.from4hTo24h ?? 0,
        over_24h: queue?.ages.over24h ?? 0,
      },
    };
  });
}

function precisionView(row: PrecisionRow) {
  return {
    alerts: row.alerts,
    confirmed_fraud: row.confirmedFraud,
    legitimate: row.legitimate,
    inconclusive: row.inconclusive,
    precision: row.precision === null ? null : round(row.precision, 4),
  };
}
