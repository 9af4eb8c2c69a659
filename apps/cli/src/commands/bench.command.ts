import { InvalidArgumentError, type Command } from 'commander';
import { formatBenchResult, runAsyncBench } from '../bench/async.bench';
import { formatFeaturesBench, runFeaturesBench } from '../bench/features.bench';
import { formatScoringBench, runScoringBench } from '../bench/scoring.bench';
import { loadAuditCliSettings } from './audit.command';

export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
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
 * `argus bench features`: feature computation latency, Redis memory per active card, feature service throughput.
 */
export function registerBenchCommands(program: Command): void {
  const bench = program.command('bench').description('Benchmarks against the running local stack and services');

  bench
    .command('async')
    .description('Produce synthetic transactions at a fixed rate; measure time until each decision is readable')
    .option('--rate <n>', 'transactions per second', positiveInt, 500)
    .option('--duration <s>', 'seconds of sending', positiveInt, 20)
    .option('--drain <s>', 'seconds to wait for the last decisions', positiveInt, 30)
    .option('--seed <n>', 'seed of the synthetic traffic', positiveInt, 42)
    .option('--json', 'print one JSON object')
    .action(async (options: { rate: number; duration: number; drain: number; seed: number; json?: boolean }) => {
      const result = await runAsyncBench({
        rate: options.rate,
        durationS: options.duration,
        drainS: options.drain,
        seed: options.seed,
      });
      process.stdout.write(
        options.json === true
          ? `${JSON.stringify(result)}\n`
          : formatBenchResult('async path: transactions → decisions', result),
      );
      if (result.undecided > 0 || result.errors > 0) process.exitCode = 1;
    });

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
