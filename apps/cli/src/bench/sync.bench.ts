import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { Outcome, type Decision } from '@argus/contracts';
import { seededRandom, syntheticTransaction } from '@argus/testing';
import { formatTable, LatencyRecorder, type Percentiles } from './bench.report';
import {
  DetectionTally,
  formatDetection,
  stopDriver,
  type DetectionSummary,
  type GroundTruth,
} from '../tracking/detection.tally';
import { implausibleMix, type WorldCursor } from './world.traffic';
import { formatCpuCost, type CpuCost, type CpuMeter, type CpuSample } from './cpu.meter';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:18106';
/**
 * The demo client's key in `deploy/config/gateway/clients.yaml`, so that the bench works against the local
 * stack without setup. Any other gateway needs `--api-key` or `ARGUS_BENCH_API_KEY`.
 */
export const DEFAULT_API_KEY = 'argus-demo-key';
export const DECISIONS_PATH = '/v1/decisions';

export interface SyncBenchSettings {
  readonly apiKey: string;
}

/** Read once when the command starts, so that nothing deeper reads the environment. */
export function loadSyncBenchSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SyncBenchSettings {
  const apiKey = env['ARGUS_BENCH_API_KEY']?.trim();
  return { apiKey: apiKey === undefined || apiKey === '' ? DEFAULT_API_KEY : apiKey };
}

export interface SyncBenchOptions {
  /** Gateway base URL; requests go to `<url>/v1/decisions`. */
  readonly url: string;
  readonly apiKey: string;
  readonly rate: number;
  readonly durationS: number;
  /** Seconds sent at the same rate before measuring, so JIT and connection set-up are not measured. */
  readonly warmupS: number;
  /** Socket cap: requests due while every socket is busy wait in the client, and that wait is measured. */
  readonly connections: number;
  /** Counted from each request's scheduled time; a later answer is a `timeout` error. */
  readonly timeoutMs: number;
  readonly seed: number;
  /** Size of the synthetic card and merchant populations. */
  readonly cards: number;
  readonly merchants: number;
  /** Meters the processes' CPU from the first measured request until the last answer. */
  readonly meter?: CpuMeter;
  /** Realistic traffic (world.traffic.ts), sent in order; without it, synthetic cards never seen. */
  readonly world?: WorldCursor;
}

export interface SyncBenchResult extends Percentiles {
  readonly rate: number;
  readonly duration_s: number;
  readonly warmup_s: number;
  /** Measured requests only: warm-up requests are neither counted nor timed. */
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  /** HTTP status, `timeout`, `transport` (connection refused or reset) or `invalid_response` (200 without a decision). */
  readonly errors_by_status: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly throughput_per_s: number;
  readonly achieved_send_rate_per_s: number;
  /** How late the sender itself was; already part of every latency, shown so a saturated client is visible. */
  readonly send_lag_p99_ms: number;
  readonly send_lag_max_ms: number;
  readonly connections: number;
  readonly timeout_ms: number;
  /** CPU per measured request, per process; null without a meter. */
  readonly cpu: CpuCost | null;
  readonly traffic: 'world' | 'synthetic';
  /** Against the world's ground truth (world traffic only). */
  readonly detection: DetectionSummary | null;
  /** Why the outcome mix is not what real traffic gives, when it is not. */
  readonly implausible: string | null;
}

type Answer =
  | { readonly kind: 'ok'; readonly outcome: Outcome; readonly driver: string; readonly at: number }
  | { readonly kind: 'error'; readonly key: string; readonly at: number };

/** Where and how every request of a run is sent. */
interface DecisionClient {
  readonly transport: typeof http | typeof https;
  readonly target: URL;
  readonly agent: http.Agent;
  readonly apiKey: string;
}

const OUTCOMES: ReadonlySet<string> = new Set(Object.values(Outcome));

/**
 * Open-model load on the synchronous gateway: request i is due at start + i/rate and is sent then, however
 * slow the answers are, and its latency runs from that due time to the end of its response. A stalled
 * server, a full socket pool or a late sender therefore all show up in the percentiles instead of quietly
 * lowering the number of requests measured (no coordinated omission). Percentiles are over 200 answers;
 * every other answer is counted by kind in `errors_by_status`.
 */
export async function runSyncBench(options: SyncBenchOptions): Promise<SyncBenchResult> {
  const target = new URL(`${options.url.replace(/\/+$/, '')}${DECISIONS_PATH}`);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.connections });
  const client: DecisionClient = { transport, target, agent, apiKey: options.apiKey };
  const random = seededRandom(options.seed);
  const runId = `bench-sync-${randomUUID().slice(0, 8)}`;
  const intervalMs = 1000 / options.rate;
  const world = options.world;
  const warmupCount = Math.round(options.rate * options.warmupS);
  // World traffic is finite: the run measures what is left of it after the warm-up.
  const available = world === undefined ? Infinity : world.transactions.length - world.next - warmupCount;
  if (available <= 0) throw new Error('the world traffic is used up: run the bench again for a fresh population');
  const measuredCount = Math.min(Math.round(options.rate * options.durationS), available);
  const total = warmupCount + measuredCount;
  const detection = new DetectionTally();

  const latency = new LatencyRecorder();
  const sendLag = new LatencyRecorder();
  const errorsByStatus: Record<string, number> = {};
  const outcomes: Record<Outcome, number> = { APPROVE: 0, REVIEW: 0, BLOCK: 0 };
  let ok = 0;
  let lastOkAt = 0;
  let lastSendAt = 0;
  let pending = 0;
  let drained: (() => void) | undefined;
  let cpuBefore: CpuSample | undefined;

  const started = performance.now();
  const measureFrom = started + warmupCount * intervalMs;

  const settle = (scheduledAt: number, measured: boolean, answer: Answer, truth?: GroundTruth): void => {
    pending -= 1;
    if (measured) {
      if (answer.kind === 'ok') {
        latency.recordMs(answer.at - scheduledAt);
        outcomes[answer.outcome] += 1;
        if (truth !== undefined) detection.record(truth, answer.outcome, answer.driver);
        ok += 1;
        lastOkAt = Math.max(lastOkAt, answer.at);
      } else {
        errorsByStatus[answer.key] = (errorsByStatus[answer.key] ?? 0) + 1;
      }
    }
    if (pending === 0) drained?.();
  };

  try {
    let next = 0;
    while (next < total) {
      const now = performance.now();
      for (; next < total && started + next * intervalMs <= now; next++) {
        const scheduledAt = started + next * intervalMs;
        const measured = next >= warmupCount;
        if (next === warmupCount) cpuBefore = options.meter?.sample();
        // Built when due rather than up front, so that event_time is the time the request is sent.
        const { transaction, truth } =
          world === undefined
            ? {
                transaction: syntheticTransaction(next, random, {
                  runId,
                  cards: options.cards,
                  merchants: options.merchants,
                }),
                truth: undefined,
              }
            : world.transactions[world.next++]!;
        pending += 1;
        void post(client, {
          transactionId: transaction.transaction_id,
          body: JSON.stringify(transaction),
          deadline: scheduledAt + options.timeoutMs,
        }).then((answer) => settle(scheduledAt, measured, answer, truth));
        if (measured) {
          lastSendAt = performance.now();
          sendLag.recordMs(lastSendAt - scheduledAt);
        }
      }
      if (next < total) await sleep(Math.max(0, started + next * intervalMs - performance.now()));
    }
    // Every request settles by its deadline at the latest, so this wait is bounded by the timeout.
    if (pending > 0) await new Promise<void>((resolve) => (drained = resolve));
  } finally {
    agent.destroy();
  }
  const cpuAfter = options.meter?.sample();

  const sent = measuredCount;
  const errors = sent - ok;
  const okSpanS = (lastOkAt - measureFrom) / 1000;
  const sendSpanS = (lastSendAt - measureFrom + intervalMs) / 1000;
  const lag = sendLag.percentiles();
  return {
    rate: options.rate,
    duration_s: options.durationS,
    warmup_s: options.warmupS,
    sent,
    ok,
    errors,
    errors_by_status: Object.fromEntries(Object.entries(errorsByStatus).sort(([a], [b]) => a.localeCompare(b))),
    outcomes,
    ...latency.percentiles(),
    throughput_per_s: ok > 0 && okSpanS > 0 ? Math.round(ok / okSpanS) : 0,
    achieved_send_rate_per_s: sendSpanS > 0 ? Math.round(sent / sendSpanS) : 0,
    send_lag_p99_ms: lag.p99_ms,
    send_lag_max_ms: lag.max_ms,
    connections: options.connections,
    timeout_ms: options.timeoutMs,
    cpu:
      options.meter === undefined || cpuBefore === undefined
        ? null
        : options.meter.cost(cpuBefore, cpuAfter!, measuredCount),
    traffic: world === undefined ? 'synthetic' : 'world',
    detection: world === undefined ? null : detection.summary(),
    implausible: implausibleMix(outcomes, world !== undefined),
  };
}

/** One POST; never rejects: every way it can end is an answer, timed when it ended. */
function post(
  client: DecisionClient,
  {
    transactionId,
    body,
    deadline,
  }: { readonly transactionId: string; readonly body: string; readonly deadline: number },
): Promise<Answer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: Answer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const fail = (key: string): void => finish({ kind: 'error', key, at: performance.now() });

    const request = client.transport.request(
      client.target,
      {
        method: 'POST',
        agent: client.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${client.apiKey}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const at = performance.now();
          const status = response.statusCode ?? 0;
          if (status !== 200) return finish({ kind: 'error', key: String(status), at });
          const decided = decisionOutcome(Buffer.concat(chunks).toString('utf8'), transactionId);
          finish(decided === null ? { kind: 'error', key: 'invalid_response', at } : { kind: 'ok', ...decided, at });
        });
        // A response cut off mid-body ends in 'close' without 'end'.
        response.on('error', () => fail('transport'));
        response.on('close', () => fail('transport'));
      },
    );
    // The deadline counts from the scheduled time, so time spent queued for a socket uses it up too.
    const timer = setTimeout(
      () => {
        fail('timeout');
        request.destroy();
      },
      Math.max(0, deadline - performance.now()),
    );
    request.on('error', () => fail('transport'));
    request.end(body);
  });
}

/**
 * The outcome of a 200 body and what stopped it (stopDriver, from its reasons), or null when it is not a
 * decision on the transaction sent.
 */
function decisionOutcome(text: string, transactionId: string): { outcome: Outcome; driver: string } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { outcome, transaction_id, reasons } = body as {
    outcome?: unknown;
    transaction_id?: unknown;
    reasons?: unknown;
  };
  if (transaction_id !== transactionId || typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return null;
  const driver = Array.isArray(reasons) ? stopDriver({ reasons: reasons as Decision['reasons'] }) : 'no reason';
  return { outcome: outcome as Outcome, driver };
}

export function formatSyncBenchResult(result: SyncBenchResult): string {
  const errorKinds = Object.entries(result.errors_by_status).map(([key, count]) => `${key}: ${count}`);
  const rows: [string, string][] = [
    [
      'target rate',
      `${result.rate}/s for ${result.duration_s} s, after ${result.warmup_s} s of warm-up at the same rate (not recorded)`,
    ],
    [
      'sent',
      `${result.sent} (${result.achieved_send_rate_per_s}/s achieved; sender lag p99 ${result.send_lag_p99_ms} ms, max ${result.send_lag_max_ms} ms)`,
    ],
    ['ok', `${result.ok}`],
    ['errors', errorKinds.length === 0 ? '0' : `${result.errors} (${errorKinds.join(', ')})`],
    [
      'outcomes',
      Object.entries(result.outcomes)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', '),
    ],
    ['throughput', `${result.throughput_per_s}/s`],
    ['client', `${result.connections} connections max, timeout ${result.timeout_ms} ms`],
    ['latency p50', `${result.p50_ms} ms`],
    ['latency p95', `${result.p95_ms} ms`],
    ['latency p99', `${result.p99_ms} ms`],
    ['latency p99.9', `${result.p999_ms} ms`],
    ['latency max', `${result.max_ms} ms`],
    [
      'traffic',
      result.traffic === 'world' ? "the demo world's days after its history" : 'synthetic (cards without history)',
    ],
  ];
  if (result.implausible !== null) rows.push(['WARNING', result.implausible]);
  return (
    formatTable(`sync path: POST ${DECISIONS_PATH}, latency from each request's scheduled time`, rows) +
    (result.detection === null ? '' : formatDetection(result.detection)) +
    (result.cpu === null ? '' : formatCpuCost(result.cpu))
  );
}
