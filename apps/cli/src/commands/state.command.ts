import { RedisFeatureState } from '@argus/feature-state';
import { createLogger } from '@argus/logger';
import { createRedis } from '@argus/redis';
import { localPanTokenKey, loadStackSettings, stackUrls } from '@argus/testing';
import { InvalidArgumentError, type Command } from 'commander';
import {
  forgetNamespace,
  formatStateLoad,
  loadFeatureState,
  type StateLoadOptions,
  type StateLoadSummary,
} from '../state/feature-state.loader';

export function isoTime(value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError('must be an ISO-8601 time, e.g. 2026-12-01T00:00:00Z');
  return time;
}

/** Runs `work` with a connection to the local stack's Redis (or ARGUS_REDIS_URL's). */
async function withStackRedis<T>(work: (redis: ReturnType<typeof createRedis>) => Promise<T>): Promise<T> {
  const logger = createLogger({ service: 'argus-cli', level: 'warn', destination: 2 });
  const redis = createRedis(stackUrls(loadStackSettings()).redisUrl, logger, 'argus-cli-state');
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** Loads a history into the live feature state (the local stack's Redis). */
export function runStateLoad(
  options: Omit<StateLoadOptions, 'panTokenKey' | 'panTokenKeyId' | 'progress'> & { progress?: boolean },
): Promise<StateLoadSummary> {
  return withStackRedis((redis) =>
    loadFeatureState(new RedisFeatureState(redis), {
      ...options,
      panTokenKey: localPanTokenKey(loadStackSettings()),
      panTokenKeyId: 'k1',
      progress: options.progress !== false && process.stderr.isTTY === true,
    }),
  );
}

/** Deletes the feature state of a namespaced population (see `--namespace`). */
export function runStateForget(namespace: string): Promise<number> {
  return withStackRedis((redis) => forgetNamespace(redis, namespace));
}

interface StateLoadCommandOptions {
  file: string;
  format: string;
  labels?: string;
  until: number;
  namespace?: string;
  progress?: boolean;
  json?: boolean;
}

/** `argus state load|forget`: the behavioural memory of the feature service, from a history. */
export function registerStateCommands(program: Command): void {
  const state = program
    .command('state')
    .description("The feature service's behavioural state in Redis: load a history into it, forget a replayed one");

  state
    .command('load')
    .description(
      'Apply the transactions and FRAUD labels of a history before --until to the live feature state, as the ' +
        'feature service would have; `argus replay --from` then sends the rest',
    )
    .requiredOption('--file <path>', 'history CSV')
    .option('--format <name|mapping.json>', 'argus, sparkov, paysim, or a mapping JSON file', 'argus')
    .option(
      '--labels <path>',
      'labels CSV (transaction_id,label,reported_at[,source,card_id,event_time]); default: labels in the file',
    )
    .option('--until <iso>', 'load what happened before this time (default: now)', isoTime)
    .option('--namespace <text>', 'prefix every id of the history (the same, with replay --namespace)')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the summary as JSON')
    .action(async (options: StateLoadCommandOptions) => {
      const until = options.until ?? Date.now();
      const summary = await runStateLoad({
        file: options.file,
        format: options.format,
        labelsFile: options.labels,
        namespace: options.namespace,
        until,
        progress: options.progress,
      });
      process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatStateLoad(summary, until));
      for (const problem of summary.rejected.slice(0, 20))
        process.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
    });

  state
    .command('forget')
    .description('Delete the feature state of every entity whose id starts with --namespace')
    .requiredOption('--namespace <text>', 'the prefix given to state load and replay')
    .action(async (options: { namespace: string }) => {
      if (options.namespace.length < 3) throw new InvalidArgumentError('--namespace must have 3 characters or more');
      process.stdout.write(`deleted ${await runStateForget(options.namespace)} feature state keys\n`);
    });
}
