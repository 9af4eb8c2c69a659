import { randomUUID } from 'node:crypto';
import type { NormalizedTransaction } from '@argus/contracts';
import { RedisFeatureState } from '@argus/feature-state';
import { buildStateEvent, computeFeatures } from '@argus/features';
import { createLogger } from '@argus/logger';
import { createRedis, masterNodes, scanKeys, unlinkKeys, type RedisClient } from '@argus/redis';
import { LOCAL_SERVICES, loadStackSettings, stackUrls, TopicCollector, waitFor } from '@argus/testing';
import { currencyExponent } from '@argus/transaction';
import { openKafkaSession } from '../kafka.session';
import { formatTable, LatencyRecorder, type Percentiles } from './bench.report';
import { batches, FeatureTraffic, type Population } from './feature-traffic.generator';

export interface FeaturesBenchOptions {
  /** Part 1: measured transactions, once one at a time and once in batches. */
  readonly transactions: number;
  /** Part 2: active cards whose state is built to measure Redis memory. */
  readonly cards: number;
  /** Part 3: transactions produced to the running feature service. */
  readonly serviceTransactions: number;
  readonly skipMemory: boolean;
  readonly skipService: boolean;
  readonly seed: number;
}

export interface ComputationResult {
  readonly run_id: string;
  readonly cards: number;
  readonly merchants: number;
  readonly payees: number;
  readonly warmup_transactions: number;
  readonly single: Percentiles & {
    readonly transactions: number;
    readonly per_s: number;
    /** Mean µs per transaction of each step; apply includes the round trip. */
    readonly build_us: number;
    readonly apply_us: number;
    readonly compute_us: number;
    /** Mean µs per transaction Redis spent running the scripts (INFO commandstats, all clients). */
    readonly redis_script_us: number;
    readonly round_trips_per_txn: number;
  };
  readonly batched: {
    readonly batch_size: number;
    readonly transactions: number;
    readonly per_s: number;
    readonly per_txn_ms: number;
    readonly batch_p50_ms: number;
    readonly batch_p99_ms: number;
    readonly redis_script_us: number;
    readonly round_trips_per_txn: number;
  };
}

export interface MemoryResult {
  readonly run_id: string;
  readonly cards: number;
  readonly transactions_per_card: number;
  readonly transactions: number;
  readonly history_days: number;
  /** Entities and MEMORY USAGE per kind, counted on the keys of the run (`tx`: the transaction index). */
  readonly by_kind: Readonly<Record<string, KindUsage>>;
  readonly used_memory_before: number;
  readonly used_memory_after: number;
  readonly bytes: number;
  readonly bytes_per_card: number;
  readonly bytes_per_transaction: number;
  readonly keys_dbsize_delta: number;
  readonly keys_of_run: number;
  readonly build_s: number;
  readonly note: string;
}

export interface ServiceResult extends Percentiles {
  readonly run_id: string;
  readonly sent: number;
  readonly vectors: number;
  readonly missing: number;
  readonly produce_s: number;
  readonly produce_per_s: number;
  readonly seconds: number;
  readonly vectors_per_s: number;
  /** Mean µs per vector Redis spent running scripts (all clients) during the run. */
  readonly redis_script_us: number;
  /** CPU this process used (producing, decoding every vector): taken from the cores the service runs on. */
  readonly bench_cpu_s: number;
  readonly note: string;
}

export interface Skipped {
  readonly skipped: string;
}

export interface FeaturesBenchResult {
  readonly computation: ComputationResult;
  readonly memory: MemoryResult | Skipped;
  readonly service: ServiceResult | Skipped;
}

const POPULATION = { cards: 20_000, merchants: 5_000, payees: 2_000 };
const BATCH_SIZE = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Part 2: a few transactions per card over the last days, applied in large pipelines. */
const MEMORY_TXNS_PER_CARD = 5;
const MEMORY_HISTORY_DAYS = 5;
const MEMORY_BATCH_SIZE = 1_000;
const MEMORY_CHECK_EVERY = 10;
/** Part 2 stops before Redis (noeviction) would refuse the live services' writes (every 10 batches: ~12 MB). */
const MEMORY_HEADROOM = 0.8;
const SEND_CHUNK = 500;
const DRAIN_TIMEOUT_MS = 120_000;
const OPTIONS = { currencyExponent };
const SERVICE_NOTE =
  'the rules service consumes transactions.normalized too (and decisions follow): all share the 2 cores with the feature service and this process; latency runs from the send call, so it includes the wait behind everything sent before';

const newRunId = () => `bench-${randomUUID().slice(0, 8)}`;
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * `argus bench features`: feature computation latency and Redis round trips in process against the stack's
 * Redis, Redis memory per active card, and the running feature service's end-to-end throughput. Every id
 * starts with a fresh run id and every state key of a run is deleted afterwards.
 */
export async function runFeaturesBench(options: FeaturesBenchOptions): Promise<FeaturesBenchResult> {
  const settings = loadStackSettings();
  const logger = createLogger({ service: 'argus-cli', level: 'warn', destination: 2 });
  const redis = createRedis(stackUrls(settings).redisUrl, logger, 'argus-bench-features');
  await redis.connect();
  try {
    const computation = await measureComputation(redis, options);
    const memory = options.skipMemory ? { skipped: '--skip-memory' } : await measureMemory(redis, options);
    const service = options.skipService
      ? { skipped: '--skip-service' }
      : await measureService(redis, options, settings.host);
    return { computation, memory, service };
  } finally {
    redis.disconnect();
  }
}

async function measureComputation(redis: RedisClient, options: FeaturesBenchOptions): Promise<ComputationResult> {
  const population: Population = { runId: newRunId(), ...POPULATION };
  const traffic = new FeatureTraffic(population, options.seed);
  const store = new RedisFeatureState(redis);
  const n = options.transactions;
  try {
    // History first (one transaction per card over the past week), so the measured ones meet known cards.
    for (const batch of batches(traffic.history(1, 7 * DAY_MS, Date.now()), BATCH_SIZE)) {
      await computeBatch(store, batch);
    }

    const latency = new LatencyRecorder();
    const steps = { build: 0, apply: 0, compute: 0 };
    const single = await redisCost(redis, store, n, async () => {
      for (let i = 0; i < n; i++) {
        const txn = traffic.next(Date.now());
        const t0 = performance.now();
        const event = buildStateEvent(txn, OPTIONS);
        const t1 = performance.now();
        const [snapshots] = await store.apply([event]);
        const t2 = performance.now();
        computeFeatures(txn, snapshots!, OPTIONS);
        const t3 = performance.now();
        latency.recordMs(t3 - t0);
        steps.build += t1 - t0;
        steps.apply += t2 - t1;
        steps.compute += t3 - t2;
      }
    });

    const measured = Array.from({ length: n }, () => traffic.next(Date.now()));
    const batchLatency = new LatencyRecorder();
    const batched = await redisCost(redis, store, n, async () => {
      for (const batch of batches(measured, BATCH_SIZE)) {
        const t0 = performance.now();
        await computeBatch(store, batch);
        batchLatency.recordMs(performance.now() - t0);
      }
    });
    const { p50_ms, p99_ms } = batchLatency.percentiles();
    const perTxnUs = (ms: number) => round((ms * 1000) / n, 1);
    return {
      run_id: population.runId,
      ...POPULATION,
      warmup_transactions: population.cards,
      single: {
        transactions: n,
        ...latency.percentiles(),
        per_s: round(n / single.seconds),
        build_us: perTxnUs(steps.build),
        apply_us: perTxnUs(steps.apply),
        compute_us: perTxnUs(steps.compute),
        redis_script_us: single.redis_script_us,
        round_trips_per_txn: single.round_trips_per_txn,
      },
      batched: {
        batch_size: BATCH_SIZE,
        transactions: n,
        per_s: round(n / batched.seconds),
        per_txn_ms: round((batched.seconds * 1000) / n, 3),
        batch_p50_ms: p50_ms,
        batch_p99_ms: p99_ms,
        redis_script_us: batched.redis_script_us,
        round_trips_per_txn: batched.round_trips_per_txn,
      },
    };
  } finally {
    await deleteRun(redis, population.runId);
  }
}

/** What the feature service does per batch: state events, one apply, one vector per transaction. */
async function computeBatch(store: RedisFeatureState, transactions: readonly NormalizedTransaction[]): Promise<void> {
  const snapshots = await store.apply(transactions.map((txn) => buildStateEvent(txn, OPTIONS)));
  transactions.forEach((txn, i) => computeFeatures(txn, snapshots[i]!, OPTIONS));
}

/** Wall time of `work` over `transactions`, with the Redis round trips and script time per transaction it took. */
async function redisCost(
  redis: RedisClient,
  store: RedisFeatureState,
  transactions: number,
  work: () => Promise<void>,
): Promise<{ seconds: number; redis_script_us: number; round_trips_per_txn: number }> {
  const trips = store.roundTrips;
  const scriptUs = await redisScriptUs(redis);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    redis_script_us: round(((await redisScriptUs(redis)) - scriptUs) / transactions, 1),
    round_trips_per_txn: round((store.roundTrips - trips) / transactions, 3),
  };
}

async function measureMemory(redis: RedisClient, options: FeaturesBenchOptions): Promise<MemoryResult | Skipped> {
  const population: Population = { ...POPULATION, runId: newRunId(), cards: options.cards };
  const transactions = options.cards * MEMORY_TXNS_PER_CARD;
  let built: Awaited<ReturnType<typeof buildMemoryState>>;
  let run: Awaited<ReturnType<typeof deleteRun>>;
  try {
    built = await buildMemoryState(redis, population, options.seed);
  } finally {
    run = await deleteRun(redis, population.runId, true);
  }
  if ('skipped' in built) return built;
  const { before, after } = built;
  const bytes = after.used - before.used;
  return {
    run_id: population.runId,
    cards: options.cards,
    transactions_per_card: MEMORY_TXNS_PER_CARD,
    transactions,
    history_days: MEMORY_HISTORY_DAYS,
    by_kind: run.kinds,
    used_memory_before: before.used,
    used_memory_after: after.used,
    bytes,
    bytes_per_card: round(bytes / options.cards),
    bytes_per_transaction: round(bytes / transactions),
    keys_dbsize_delta: after.keys - before.keys,
    keys_of_run: run.keys,
    build_s: built.buildS,
    note: "used_memory delta: every key of every entity and the transaction index, with Redis's own per-key overhead; merchant, terminal and payee state is shared by all cards (the per-card figure spreads it); other writers in the same window would count too",
  };
}

/** State for every card of the population; INFO memory and DBSIZE before and after. */
async function buildMemoryState(
  redis: RedisClient,
  population: Population,
  seed: number,
): Promise<Skipped | { before: MemoryInfo; after: MemoryInfo; buildS: number }> {
  const store = new RedisFeatureState(redis);
  const traffic = new FeatureTraffic(population, seed);
  const before = await memoryInfo(redis);
  const limit = before.maxmemory > 0 ? before.maxmemory * MEMORY_HEADROOM : Infinity;
  const started = performance.now();
  const history = traffic.history(MEMORY_TXNS_PER_CARD, MEMORY_HISTORY_DAYS * DAY_MS, Date.now());
  // Each pipeline is sent before the previous reply is awaited (one connection: Redis runs them in order), so
  // Redis works on the next batch while this process reads the last one's replies.
  let previous: Promise<unknown> = Promise.resolve();
  let sent = 0;
  for (const batch of batches(history, MEMORY_BATCH_SIZE)) {
    const current = store.apply(batch.map((txn) => buildStateEvent(txn, OPTIONS)));
    await previous;
    previous = current;
    // INFO waits behind the batch just sent: look only now and then.
    if (++sent % MEMORY_CHECK_EVERY === 0 && (await memoryInfo(redis)).used > limit) {
      await current;
      return {
        skipped: `stopped at ${batch.at(-1)!.transaction_id}: Redis used_memory passed ${MEMORY_HEADROOM * 100} % of maxmemory (${before.maxmemory} bytes, noeviction); use fewer --cards`,
      };
    }
  }
  await previous;
  const buildS = round((performance.now() - started) / 1000, 1);
  return { before, after: await memoryInfo(redis), buildS };
}

async function measureService(
  redis: RedisClient,
  options: FeaturesBenchOptions,
  host: string,
): Promise<ServiceResult | Skipped> {
  const feature = LOCAL_SERVICES.find((service) => service.name === 'feature')!;
  const readyUrl = `http://${host}:${feature.port}/health/ready`;
  const ready = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!ready) return { skipped: `feature service not ready (${readyUrl}): start it with \`argus services up\`` };

  const runId = newRunId();
  const traffic = new FeatureTraffic({ runId, ...POPULATION }, options.seed);
  const total = options.serviceTransactions;
  const pending = new Map<string, number>();
  const latency = new LatencyRecorder();
  let lastVectorAt = 0;
  const kafka = await openKafkaSession(['transactionsNormalized', 'transactionsFeatures']);
  const collector = new TopicCollector(kafka.kafka, kafka.serde, 'transactionsFeatures', (vector) => {
    const sentAt = pending.get(vector.transaction.transaction_id);
    if (sentAt !== undefined) {
      lastVectorAt = performance.now();
      latency.recordMs(lastVectorAt - sentAt);
      pending.delete(vector.transaction.transaction_id);
    }
    return false;
  });
  try {
    await collector.start();
    const scriptUs = await redisScriptUs(redis);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let sent = 0; sent < total; sent += SEND_CHUNK) {
      const chunk = Array.from({ length: Math.min(SEND_CHUNK, total - sent) }, () => traffic.next(Date.now()));
      const sentAt = performance.now();
      for (const txn of chunk) pending.set(txn.transaction_id, sentAt);
      await kafka.producer.send(
        'transactionsNormalized',
        chunk.map((txn) => ({ key: txn.card_id, value: txn })),
      );
    }
    const produceS = (performance.now() - started) / 1000;
    await waitFor(() => pending.size === 0, {
      timeoutMs: DRAIN_TIMEOUT_MS,
      intervalMs: 50,
      description: 'every feature vector of the run',
    }).catch(() => undefined);
    const seconds = (lastVectorAt - started) / 1000;
    return {
      run_id: runId,
      sent: total,
      vectors: latency.count,
      missing: pending.size,
      produce_s: round(produceS, 2),
      produce_per_s: round(total / produceS),
      seconds: round(seconds, 2),
      vectors_per_s: seconds > 0 ? round(latency.count / seconds) : 0,
      ...latency.percentiles(),
      redis_script_us: round(((await redisScriptUs(redis)) - scriptUs) / Math.max(1, latency.count), 1),
      bench_cpu_s: round(cpuSeconds(process.cpuUsage(cpu)), 1),
      note: SERVICE_NOTE,
    };
  } finally {
    await collector.stop();
    await kafka.stop();
    await deleteRun(redis, runId);
  }
}

const cpuSeconds = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1e6;

/** Microseconds Redis has spent in EVAL / EVALSHA since it started (all clients). */
/** Script run time so far, summed over the servers that hold the key space (every master of a cluster). */
async function redisScriptUs(redis: RedisClient): Promise<number> {
  const stats = await Promise.all((await masterNodes(redis)).map((node) => node.info('commandstats')));
  return stats
    .flatMap((stat) => [...stat.matchAll(/^cmdstat_eval(?:sha)?:.*?usec=(\d+)/gm)])
    .reduce((sum, m) => sum + Number(m[1]), 0);
}

interface MemoryInfo {
  readonly used: number;
  readonly maxmemory: number;
  readonly keys: number;
}

/** Memory and keys summed over the servers that hold the key space; maxmemory is the smallest server's. */
async function memoryInfo(redis: RedisClient): Promise<MemoryInfo> {
  const servers = await Promise.all(
    (await masterNodes(redis)).map(async (node) => {
      const [info, keys] = await Promise.all([node.info('memory'), node.dbsize()]);
      const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      return { used: field('used_memory'), maxmemory: field('maxmemory'), keys };
    }),
  );
  const limits = servers.map((server) => server.maxmemory).filter((limit) => limit > 0);
  return {
    used: servers.reduce((sum, server) => sum + server.used, 0),
    // A cluster refuses writes when one master is full: the headroom check uses the smallest limit, times the
    // masters (the run's keys spread evenly over the slots).
    maxmemory: limits.length === 0 ? 0 : Math.min(...limits) * servers.length,
    keys: servers.reduce((sum, server) => sum + server.keys, 0),
  };
}

export interface KindUsage {
  /** Entities (one meta key each); for `tx`, transaction index entries. */
  readonly entities: number;
  /** Sum of MEMORY USAGE over the kind's keys (0 unless asked for). */
  readonly bytes: number;
}

/**
 * Deletes every feature state key of a run (entity keys and transaction index both hold the run id inside
 * the hash tag) and counts them by kind; with `usage`, also sums MEMORY USAGE of each key before deleting it.
 */
async function deleteRun(
  redis: RedisClient,
  runId: string,
  usage = false,
): Promise<{ keys: number; kinds: Record<string, KindUsage> }> {
  const kinds: Record<string, { entities: number; bytes: number }> = {};
  let keys = 0;
  for await (const found of scanKeys(redis, `f:{*${runId}*`)) {
    if (found.length === 0) continue;
    const sizes = usage ? await Promise.all(found.map((key) => redis.memory('USAGE', key))) : [];
    await unlinkKeys(redis, found);
    keys += found.length;
    found.forEach((key, i) => {
      const name = key.slice(3, key.indexOf(':', 3));
      const kind = (kinds[name] ??= { entities: 0, bytes: 0 });
      kind.bytes += sizes[i] ?? 0;
      if (key.endsWith('}:m') || name === 'tx') kind.entities += 1;
    });
  }
  return { keys, kinds };
}

export function formatFeaturesBench(result: FeaturesBenchResult): string {
  return [formatComputation(result.computation), formatMemory(result.memory), formatService(result.service)].join('\n');
}

function formatComputation(c: ComputationResult): string {
  return formatTable(
    `feature computation, in process against Redis (${c.cards} cards, ${c.merchants} merchants, ${c.payees} payees; warm-up ${c.warmup_transactions} transactions)`,
    [
      ['batch of 1', `${c.single.transactions} transactions, ${c.single.per_s}/s`],
      ['latency p50', `${c.single.p50_ms} ms`],
      ['latency p95', `${c.single.p95_ms} ms`],
      ['latency p99', `${c.single.p99_ms} ms`],
      ['latency max', `${c.single.max_ms} ms`],
      [
        'per transaction',
        `build ${c.single.build_us} µs, apply ${c.single.apply_us} µs (Redis scripts ${c.single.redis_script_us} µs), compute ${c.single.compute_us} µs`,
      ],
      ['round trips', `${c.single.round_trips_per_txn} per transaction`],
      [
        `batches of ${c.batched.batch_size}`,
        `${c.batched.transactions} transactions, ${c.batched.per_s}/s, ${c.batched.per_txn_ms} ms per transaction`,
      ],
      ['batch p50 / p99', `${c.batched.batch_p50_ms} / ${c.batched.batch_p99_ms} ms`],
      ['Redis scripts', `${c.batched.redis_script_us} µs per transaction`],
      ['round trips', `${c.batched.round_trips_per_txn} per transaction`],
      ['note', 'Redis scripts: wall time Redis spent inside EVALSHA (INFO commandstats, every client)'],
    ],
  );
}

function formatMemory(m: MemoryResult | Skipped): string {
  if ('skipped' in m) return formatTable('Redis memory', [['skipped', m.skipped]]);
  const kinds = Object.entries(m.by_kind).sort(([, a], [, b]) => b.bytes - a.bytes);
  return formatTable(`Redis memory for ${m.cards} active cards`, [
    ['history', `${m.transactions_per_card} transactions per card over ${m.history_days} days (${m.transactions})`],
    ...kinds.map(([kind, { entities, bytes }]): [string, string] => [
      kind === 'tx' ? 'txn index' : kind,
      `${entities} × ${round(bytes / entities)} bytes (sum of MEMORY USAGE ${bytes})`,
    ]),
    ['used_memory', `${m.used_memory_before} → ${m.used_memory_after} bytes (+${m.bytes})`],
    ['per card', `${m.bytes_per_card} bytes`],
    ['per transaction', `${m.bytes_per_transaction} bytes`],
    ['keys', `${m.keys_dbsize_delta} (DBSIZE delta), ${m.keys_of_run} of the run`],
    ['built in', `${m.build_s} s`],
    ['includes', m.note],
  ]);
}

function formatService(s: ServiceResult | Skipped): string {
  if ('skipped' in s) return formatTable('feature service, end to end', [['skipped', s.skipped]]);
  return formatTable('feature service, end to end (transactions.normalized → transactions.features)', [
    ['produced', `${s.sent} in ${s.produce_s} s (${s.produce_per_s}/s)`],
    ['vectors', `${s.vectors} (${s.missing} missing)`],
    ['throughput', `${s.vectors_per_s} vectors/s (first send → last vector ${s.seconds} s)`],
    ['Redis scripts', `${s.redis_script_us} µs per vector`],
    ['bench CPU', `${s.bench_cpu_s} s (this process: producing and decoding every vector)`],
    ['latency p50', `${s.p50_ms} ms`],
    ['latency p95', `${s.p95_ms} ms`],
    ['latency p99', `${s.p99_ms} ms`],
    ['latency max', `${s.max_ms} ms`],
    ['note', s.note],
  ]);
}
