import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom, syntheticTransaction } from '@argus/testing';
import { openKafkaSession } from '../kafka.session';
import { DecisionTracker, type LatencySummary } from '../tracking/decision.tracker';
import { formatTable } from './bench.report';
import { formatCpuCost, type CpuCost, type CpuMeter } from './cpu.meter';

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
  let sent = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const cpuBefore = options.meter?.sample();
  const started = performance.now();
  const endAt = started + options.durationS * 1000;

  try {
    for (let now = performance.now(); now < endAt; now = performance.now()) {
      const due = Math.floor(((now - started) / 1000) * options.rate) - sent;
      if (due > 0) {
        const batch = Array.from({ length: due }, (_, i) =>
          syntheticTransaction(sent + i, random, { runId, cards: options.cards, merchants: options.merchants }),
        );
        sent += due;
        for (const transaction of batch) tracker.sent(transaction.transaction_id);
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
    };
  } finally {
    await tracker.stop();
    await kafka.stop();
  }
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
  ];
  return formatTable(title, rows) + (result.cpu === null ? '' : formatCpuCost(result.cpu));
}
