import {
  COMPONENT_NAMES,
  type ComponentName,
  type ComponentStatus,
  formatStatusTable,
  stackDown,
  stackStatus,
  stackUp,
  stackUrls,
  loadStackSettings,
} from '@argus/testing';
import { maskRedisUrl } from '@argus/redis';
import { InvalidArgumentError, type Command } from 'commander';

interface OutputOptions {
  readonly json?: boolean;
  readonly only?: ComponentName[];
}

/** `--only redis-cluster,postgres`: component names, checked against the stack's. */
export function componentList(value: string): ComponentName[] {
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(COMPONENT_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`unknown component ${unknown.join(', ')}; one of ${COMPONENT_NAMES.join(', ')}`);
  }
  return names as ComponentName[];
}

const ONLY = [
  '--only <components>',
  'only these components, comma-separated (e.g. redis-cluster: with ARGUS_REDIS_CLUSTER=3, beside a running stack)',
  componentList,
] as const;

function print(statuses: readonly ComponentStatus[], options: OutputOptions): void {
  process.stdout.write(options.json === true ? `${JSON.stringify(statuses, null, 2)}\n` : formatStatusTable(statuses));
}

/** `argus stack up|down|status`: the local Kafka, schema registry, PostgreSQL and Redis (libs/testing). */
export function registerStackCommands(program: Command): void {
  const stack = program
    .command('stack')
    .description('Local infrastructure on 127.0.0.1 without Docker: Kafka, Apicurio Registry, PostgreSQL, Redis');

  stack
    .command('up')
    .description('Install what is missing, start what is not running, create the Kafka topics')
    .option('--json', 'print the components as JSON')
    .option(...ONLY)
    .action(async (options: OutputOptions) => {
      const settings = loadStackSettings();
      const statuses = await stackUp({ settings, only: options.only });
      print(statuses, options);
      if (options.json !== true) {
        const urls = stackUrls(settings);
        process.stdout.write(
          `\nKafka brokers:   ${urls.kafkaBrokers.join(',')}\nSchema registry: ${urls.schemaRegistryUrl}\n` +
            `Redis:           ${maskRedisUrl(urls.redisUrl)}\n`,
        );
      }
      if (statuses.some((status) => !status.healthy)) process.exitCode = 1;
    });

  stack
    .command('down')
    .description('Stop every process the stack started (external servers are left alone)')
    .option('--json', 'print the components as JSON')
    .option(...ONLY)
    .action(async (options: OutputOptions) => {
      print(await stackDown({ only: options.only }), options);
    });

  stack
    .command('status')
    .description('Probe each component; exits with 1 when any is not healthy')
    .option('--json', 'print the components as JSON')
    .option(...ONLY)
    .action(async (options: OutputOptions) => {
      const statuses = await stackStatus({ only: options.only });
      print(statuses, options);
      if (statuses.some((status) => !status.healthy)) process.exitCode = 1;
    });
}
