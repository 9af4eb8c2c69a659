import { InvalidArgumentError, type Command } from 'commander';
import { formatBenchResult, runAsyncBench, type AsyncBenchResult } from '../bench/async.bench';
import { formatCasesBench, runCasesBench } from '../bench/cases.bench';
import { CpuMeter } from '../bench/cpu.meter';
import { prepareWorldTraffic, type WorldCursor } from '../bench/world.traffic';
import { formatFeaturesBench, runFeaturesBench } from '../bench/features.bench';
import { formatRateSweep, parseRateList, runRateSweep, type SweepRow } from '../bench/rate.sweep';
import { formatScoringBench, runScoringBench } from '../bench/scoring.bench';
import {
  DEFAULT_GATEWAY_URL,
  formatSyncBenchResult,
  loadSyncBenchSettings,
  runSyncBench,
  type SyncBenchResult,
} from '../bench/sync.bench';
import { BENCH_POPULATION, loadStackSettings } from '@argus/testing';
import { loadAuditCliSettings } from './audit.command';

export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive number');
  return parsed;
}

function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new InvalidArgumentError('must be a number ≥ 0');
  }
  return parsed;
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be a URL such as http://127.0.0.1:18106');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('must be http or https');
  return value;
}

/** Lets the previous rate's backlog (server queues, consumer lag, sockets) clear before the next rate. */
const SWEEP_PAUSE_MS = 2_000;

interface SweepCommandOptions {
  sweep?: number[];
  targetP99Ms: number;
  json?: boolean;
}

/**
 * The same sweep for every fixed-rate bench: progress on stderr (stdout stays one table or one JSON object),
 * exit code 1 when no rate met the target.
 */
async function sweepRates<R>(
  title: string,
  rates: readonly number[],
  options: SweepCommandOptions,
  run: (rate: number) => Promise<R>,
  row: (result: R) => SweepRow,
): Promise<void> {
  const result = await runRateSweep({
    rates,
    targetP99Ms: options.targetP99Ms,
    pauseMs: SWEEP_PAUSE_MS,
    run,
    row,
    onRun: (done) =>
      process.stderr.write(
        `${title}: ${done.rate}/s → P99 ${done.p99_ms} ms, ${done.errors} errors, ${done.throughput_per_s}/s\n`,
      ),
  });
  process.stdout.write(
    options.json === true ? `${JSON.stringify(result)}\n` : formatRateSweep(`${title}: rate sweep`, result, row),
  );
  if (result.highest_rate_meeting_target === null) process.exitCode = 1;
}

/** An async run fails a sweep step for send errors and for transactions still undecided after the drain. */
const asyncSweepRow = (result: AsyncBenchResult): SweepRow => ({
  ...result,
  errors: result.errors + result.undecided,
  cpu_ms_per_tx: result.cpu?.pipeline_ms_per_tx ?? null,
});
const syncSweepRow = (result: SyncBenchResult): SweepRow => ({
  ...result,
  cpu_ms_per_tx: result.cpu?.pipeline_ms_per_tx ?? null,
});

/** What `withTrafficOptions` adds, plus the rate and duration both commands take. */
interface TrafficCommandOptions extends SweepCommandOptions {
  rate: number;
  duration: number;
  seed: number;
  cards: number;
  merchants: number;
}

interface AsyncCommandOptions extends TrafficCommandOptions {
  drain: number;
  traffic: 'world' | 'synthetic';
}

/** The world traffic both load generators send by default (see world.traffic.ts); progress on stderr. */
async function worldCursor(traffic: 'world' | 'synthetic'): Promise<WorldCursor | undefined> {
  if (traffic === 'synthetic') return undefined;
  process.stderr.write('preparing the world traffic (the demo world, its champion, its history in Redis)…\n');
  const prepared = await prepareWorldTraffic((line) => process.stderr.write(`  ${line}\n`));
  process.stderr.write(`  ${prepared.transactions.length} transactions to send, in time order\n`);
  return { transactions: prepared.transactions, next: 0 };
}

function trafficKind(value: string): 'world' | 'synthetic' {
  if (value !== 'world' && value !== 'synthetic') throw new InvalidArgumentError('must be world or synthetic');
  return value;
}

interface SyncCommandOptions extends TrafficCommandOptions {
  traffic: 'world' | 'synthetic';
  url: string;
  apiKey?: string;
  connections: number;
  timeoutMs: number;
  warmup: number;
}

interface FeaturesCommandOptions {
  transactions: number;
  cards: number;
  serviceTransactions: number;
  skipMemory?: boolean;
  skipService?: boolean;
  seed: number;
  json?: boolean;
}

/**
 * `argus bench async`: produced → decision-readable latency percentiles and throughput.
 * `argus bench sync`: open-model HTTP load on the gateway's `POST /v1/decisions`.
 * `argus bench features`: feature computation latency, Redis memory per active card, feature service throughput.
 */
/** The options both load generators share: synthetic traffic (seed, population), the rate sweep, JSON output. */
function withTrafficOptions(command: Command, targetP99Ms: number): Command {
  return command
    .option('--seed <n>', 'seed of the synthetic traffic', positiveInt, 42)
    .option('--cards <n>', 'size of the synthetic card population', positiveInt, BENCH_POPULATION.cards)
    .option('--merchants <n>', 'size of the synthetic merchant population', positiveInt, BENCH_POPULATION.merchants)
    .option(
      '--sweep <rates>',
      'run each rate in turn (e.g. 500,1000,2000) and report the highest meeting the target',
      parseRateList,
    )
    .option('--target-p99-ms <ms>', 'P99 target of --sweep', positiveNumber, targetP99Ms)
    .option('--json', 'print one JSON object');
}

export function registerBenchCommands(program: Command): void {
  const bench = program.command('bench').description('Benchmarks against the running local stack and services');

  withTrafficOptions(bench.command('async'), 100)
    .description('Produce synthetic transactions at a fixed rate; measure time until each decision is readable')
    .option('--rate <n>', 'transactions per second', positiveInt, 100)
    .option('--duration <s>', 'seconds of sending', positiveInt, 20)
    .option('--drain <s>', 'seconds to wait for the last decisions', positiveInt, 30)
    .option(
      '--traffic <kind>',
      "world: the demo world's days after its history, its history in the feature state, its champion scoring; synthetic: cards never seen",
      trafficKind,
      'world',
    )
    .action(async (options: AsyncCommandOptions) => {
      const title = 'async path: transactions → decisions';
      const world = await worldCursor(options.traffic);
      const meter = await CpuMeter.forLocalStack(loadStackSettings());
      const run = (rate: number): Promise<AsyncBenchResult> =>
        runAsyncBench({
          rate,
          durationS: options.duration,
          drainS: options.drain,
          seed: options.seed,
          cards: options.cards,
          merchants: options.merchants,
          meter,
          world,
        });
      if (options.sweep !== undefined) return sweepRates(title, options.sweep, options, run, asyncSweepRow);
      const result = await run(options.rate);
      process.stdout.write(options.json === true ? `${JSON.stringify(result)}\n` : formatBenchResult(title, result));
      if (result.undecided > 0 || result.errors > 0) process.exitCode = 1;
    });

  const syncSettings = loadSyncBenchSettings();
  withTrafficOptions(bench.command('sync'), 10)
    .description(
      'Open-model HTTP load on the gateway: POST /v1/decisions at a fixed rate whatever the answer time; latency counted from each scheduled send time',
    )
    .option('--rate <n>', 'requests per second', positiveInt, 100)
    .option('--duration <s>', 'seconds measured', positiveInt, 20)
    .option('--url <url>', 'gateway base URL', httpUrl, DEFAULT_GATEWAY_URL)
    .option('--api-key <key>', 'API key sent as a Bearer token (default: ARGUS_BENCH_API_KEY, else the demo key)')
    .option('--connections <n>', 'maximum open connections', positiveInt, 64)
    .option('--timeout-ms <ms>', 'per-request timeout from its scheduled time, counted as an error', positiveInt, 2_000)
    .option('--warmup <s>', 'seconds sent at the same rate first and not recorded', nonNegativeNumber, 2)
    .option(
      '--traffic <kind>',
      "world: the demo world's days after its history, its history in the feature state, its champion scoring; synthetic: cards never seen",
      trafficKind,
      'world',
    )
    .action(async (options: SyncCommandOptions) => {
      const world = await worldCursor(options.traffic);
      const meter = await CpuMeter.forLocalStack(loadStackSettings());
      const run = (rate: number): Promise<SyncBenchResult> =>
        runSyncBench({
          url: options.url,
          apiKey: options.apiKey ?? syncSettings.apiKey,
          rate,
          durationS: options.duration,
          warmupS: options.warmup,
          connections: options.connections,
          timeoutMs: options.timeoutMs,
          seed: options.seed,
          cards: options.cards,
          merchants: options.merchants,
          meter,
          world,
        });
      if (options.sweep !== undefined) return sweepRates('sync path', options.sweep, options, run, syncSweepRow);
      const result = await run(options.rate);
      process.stdout.write(options.json === true ? `${JSON.stringify(result)}\n` : formatSyncBenchResult(result));
      if (result.errors > 0) process.exitCode = 1;
    });

  bench
    .command('cases')
    .description(
      "The queue queries analysts run (list, take next, case file) with N cases in PostgreSQL (own schema, dropped after), then the running case service's intake rate",
    )
    .option('--cases <n>', 'cases seeded', positiveInt, 1_000_000)
    .option('--open-share <x>', 'share of them not closed (the backlog)', (v) => Number(v), 0.05)
    .option('--iterations <n>', 'runs of each query', positiveInt, 300)
    .option('--intake <n>', 'decisions for the running case service to take in (0: skip)', (v) => Number(v), 20_000)
    .option('--alert-share <x>', 'share of those that are REVIEW or BLOCK (the rest APPROVE)', (v) => Number(v), 1)
    .option('--policy <file>', 'case policy', 'deploy/config/cases/default.yaml')
    .option(
      '--pg-url <url>',
      'PostgreSQL URL (default: ARGUS_PG_URL, else the local stack)',
      loadAuditCliSettings().pgUrl,
    )
    .option('--json', 'print the result as one JSON object')
    .action(
      async (options: {
        cases: number;
        openShare: number;
        iterations: number;
        intake: number;
        alertShare: number;
        policy: string;
        pgUrl: string;
        json?: boolean;
      }) => {
        for (const [name, share] of [
          ['--open-share', options.openShare],
          ['--alert-share', options.alertShare],
        ] as const)
          if (!(share > 0 && share <= 1)) throw new InvalidArgumentError(`${name} must be in (0, 1]`);
        const result = await runCasesBench(
          {
            pgUrl: options.pgUrl,
            cases: options.cases,
            openShare: options.openShare,
            iterations: options.iterations,
            intakeDecisions: options.intake,
            alertShare: options.alertShare,
            policyFile: options.policy,
          },
          (line) => process.stderr.write(`${line}\n`),
        );
        process.stdout.write(options.json === true ? `${JSON.stringify(result)}\n` : formatCasesBench(result));
      },
    );

  bench
    .command('features')
    .description(
      'Feature computation latency and Redis round trips (in process, real Redis), Redis memory per active card, feature service throughput',
    )
    .option('--transactions <n>', 'measured transactions, one at a time and in batches of 100', positiveInt, 5_000)
    .option('--cards <n>', 'active cards whose state is built to measure Redis memory', positiveInt, 10_000)
    .option('--service-transactions <n>', 'transactions produced to the running feature service', positiveInt, 20_000)
    .option('--skip-memory', 'skip the Redis memory part')
    .option('--skip-service', 'skip the feature service part')
    .option('--seed <n>', 'seed of the synthetic traffic', positiveInt, 42)
    .option('--json', 'print one JSON object')
    .action(async (options: FeaturesCommandOptions) => {
      const result = await runFeaturesBench({
        transactions: options.transactions,
        cards: options.cards,
        serviceTransactions: options.serviceTransactions,
        skipMemory: options.skipMemory === true,
        skipService: options.skipService === true,
        seed: options.seed,
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(result)}\n` : formatFeaturesBench(result));
      if ('missing' in result.service && result.service.missing > 0) process.exitCode = 1;
    });

  bench
    .command('scoring')
    .description('Model scoring in-process on real feature rows: latency with and without explanations, throughput')
    .requiredOption('--table <csv>', 'backfill table whose rows are scored')
    .option('--model <version>', 'registered version (default: the champion)')
    .option('--rows <n>', 'rows to score', positiveInt, 5_000)
    .option('--batch <n>', 'batch size of the throughput run', positiveInt, 256)
    .option('--json', 'print one JSON object')
    .action(async (options: { table: string; model?: string; rows: number; batch: number; json?: boolean }) => {
      const result = await runScoringBench({ ...options, pgUrl: loadAuditCliSettings().pgUrl });
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatScoringBench(result));
    });
}
