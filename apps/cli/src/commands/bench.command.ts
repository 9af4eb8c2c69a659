import { InvalidArgumentError, type Command } from 'commander';
import { formatBenchResult, runAsyncBench } from '../bench/async.bench';

export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

/** `argus bench async`: produced → decision-readable latency percentiles and throughput. */
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
}
