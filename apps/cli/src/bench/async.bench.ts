import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome, Transaction } from '@argus/contracts';
import { seededRandom, syntheticTransaction } from '@argus/testing';
import { openKafkaSession } from '../kafka.session';
import { DecisionTracker, type LatencySummary } from '../tracking/decision.tracker';
import { formatDetection, type DetectionSummary } from '../tracking/detection.tally';
import { formatTable } from './bench.report';
import { formatCpuCost, type CpuCost, type CpuMeter } from './cpu.meter';
import { implausibleMix, type WorldCursor } from './world.traffic';

export interface AsyncBenchOptions {
  readonly rate: number;
  readonly durationS: number;
  /** How long to wait for the last decisions after sending stops. */
  readonly drainS: number;
  readonly seed: number;
  /** Size of the synthetic card and merchant populations. */
  readonly cards: number;
  readonly merchants: number;
  /** Meters the processes' CPU from the first send until the last decision (or the drain's end). */
  readonly meter?: CpuMeter;
  /**
   * Realistic traffic (world.traffic.ts): sent in order from `cursor.next`, which moves on, so the runs of a
   * sweep send successive stretches of the world's days. Without it, synthetic transactions of never-seen cards.
   */
  readonly world?: WorldCursor;
}

export interface AsyncBenchResult extends Omit<LatencySummary, 'count'> {
  readonly rate: number;
  readonly duration_s: number;
  readonly sent: number;
  readonly decided: number;
  readonly undecided: number;
  readonly errors: number;
  readonly throughput_per_s: number;
  readonly achieved_send_rate_per_s: number;
  /** CPU per decided transaction, per process; null without a meter. */
  readonly cpu: CpuCost | null;
  readonly traffic: 'world' | 'synthetic';
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Shares of the decided transactions: scored by a model, and explained (its top factors given). */
  readonly scored_share: number;
  readonly explained_share: number;
  /** Decisions taken with something missing, by what (a fallback under load shows here first). */
  readonly degraded: Readonly<Record<string, number>>;
  /** Against the world's ground truth (world traffic only). */
  readonly detection: DetectionSummary | null;
  /** Why the outcome mix is not what real traffic gives, when it is not; null when it is plausible. */
  readonly implausible: string | null;
}

const TICK_MS = 5;

/**
 * Open-model load: transactions are produced on a fixed schedule whatever the system's speed (a slow system
 * cannot slow the sender and hide its latency), and each one's latency runs from its send call until its
 * decision is readable on `decisions`.
 */
export async function runAsyncBench(options: AsyncBenchOptions): Promise<AsyncBenchResult> {
  const kafka = await openKafkaSession(['transactions', 'decisions']);
  const tracker = new DecisionTracker(kafka.kafka, kafka.serde);
  await tracker.start();
  const random = seededRandom(options.seed);
  const runId = `bench-${randomUUID().slice(0, 8)}`;
  const world = options.world;
  let sent = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const cpuBefore = options.meter?.sample();
  const started = performance.now();
  const endAt = started + options.durationS * 1000;

  try {
    for (let now = performance.now(); now < endAt; now = performance.now()) {
      const due = Math.floor(((now - started) / 1000) * options.rate) - sent;
      if (world !== undefined && world.next >= world.transactions.length) break;
      if (due > 0) {
        const batch: Transaction[] = [];
        for (let i = 0; i < due; i++) {
          if (world === undefined) {
            const transaction = syntheticTransaction(sent + i, random, {
              runId,
              cards: options.cards,
              merchants: options.merchants,
            });
            tracker.sent(transaction.transaction_id);
            batch.push(transaction);
          } else if (world.next < world.transactions.length) {
            const { transaction, truth } = world.transactions[world.next++]!;
            tracker.sent(transaction.transaction_id, truth);
            batch.push(transaction);
          }
        }
        sent += batch.length;
        const send = kafka.producer
          .send(
            'transactions',
            batch.map((transaction) => ({ key: transaction.card_id!, value: transaction })),
          )
          .catch(() => {
            errors += batch.length;
            for (const transaction of batch) tracker.forget(transaction.transaction_id);
          })
          .finally(() => inFlight.delete(send));
        inFlight.add(send);
      }
      await sleep(TICK_MS);
    }
    const sendingTookS = (performance.now() - started) / 1000;
    await Promise.all(inFlight);
    const drainUntil = performance.now() + options.drainS * 1000;
    while (tracker.outstanding > 0 && performance.now() < drainUntil) await sleep(50);

    const cpu =
      options.meter === undefined ? null : options.meter.cost(cpuBefore!, options.meter.sample(), tracker.decided);
    const { count: _count, ...latency } = tracker.latency();
    const spanS = (tracker.lastDecisionAt - (performance.timeOrigin + started)) / 1000;
    return {
      rate: options.rate,
      duration_s: options.durationS,
      sent,
      decided: tracker.decided,
      undecided: tracker.outstanding,
      errors,
      ...latency,
      throughput_per_s: spanS > 0 ? Math.round(tracker.decided / spanS) : 0,
      achieved_send_rate_per_s: Math.round(sent / sendingTookS),
      cpu,
      ...mixOf(tracker, world !== undefined),
    };
  } finally {
    await tracker.stop();
    await kafka.stop();
  }
}

function mixOf(tracker: DecisionTracker, world: boolean) {
  const share = (n: number) => (tracker.decided > 0 ? Math.round((n / tracker.decided) * 1000) / 1000 : 0);
  return {
    traffic: world ? ('world' as const) : ('synthetic' as const),
    outcomes: { ...tracker.outcomes },
    scored_share: share(tracker.scored),
    explained_share: share(tracker.explained),
    degraded: Object.fromEntries([...tracker.degraded].sort(([, a], [, b]) => b - a)),
    detection: world ? tracker.detection.summary() : null,
    implausible: implausibleMix(tracker.outcomes, world),
  };
}

export function formatBenchResult(title: string, result: AsyncBenchResult): string {
  const rows: [string, string][] = [
    ['target rate', `${result.rate}/s for ${result.duration_s} s`],
    ['sent', `${result.sent} (${result.achieved_send_rate_per_s}/s achieved, ${result.errors} send errors)`],
    ['decided', `${result.decided} (${result.undecided} undecided after drain)`],
    ['throughput', `${result.throughput_per_s}/s`],
    ['latency p50', `${result.p50_ms} ms`],
    ['latency p95', `${result.p95_ms} ms`],
    ['latency p99', `${result.p99_ms} ms`],
    ['latency p99.9', `${result.p999_ms} ms`],
    ['latency max', `${result.max_ms} ms`],
    [
      'traffic',
      result.traffic === 'world' ? "the demo world's days after its history" : 'synthetic (cards without history)',
    ],
    [
      'outcomes',
      `APPROVE ${result.outcomes.APPROVE}, REVIEW ${result.outcomes.REVIEW}, BLOCK ${result.outcomes.BLOCK}` +
        `; scored ${(result.scored_share * 100).toFixed(1)} %, explained ${(result.explained_share * 100).toFixed(1)} %`,
    ],
    [
      'degraded',
      Object.keys(result.degraded).length === 0
        ? 'none'
        : Object.entries(result.degraded)
            .map(([what, count]) => `${what} ${count}`)
            .join(', '),
    ],
  ];
  if (result.implausible !== null) rows.push(['WARNING', result.implausible]);
  return (
    formatTable(title, rows) +
    (result.detection === null ? '' : formatDetection(result.detection)) +
    (result.cpu === null ? '' : formatCpuCost(result.cpu))
  );
}
