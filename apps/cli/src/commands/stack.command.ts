import {
  type ComponentStatus,
  formatStatusTable,
  stackDown,
  stackStatus,
  stackUp,
  stackUrls,
  loadStackSettings,
} from '@argus/testing';
import type { Command } from 'commander';

interface OutputOptions {
  readonly json?: boolean;
}

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
    .action(async (options: OutputOptions) => {
      const settings = loadStackSettings();
      const statuses = await stackUp({ settings });
      print(statuses, options);
      if (options.json !== true) {
        const urls = stackUrls(settings);
        process.stdout.write(
          `\nKafka brokers:   ${urls.kafkaBrokers.join(',')}\nSchema registry: ${urls.schemaRegistryUrl}\n`,
        );
      }
      if (statuses.some((status) => !status.healthy)) process.exitCode = 1;
    });

  stack
    .command('down')
    .description('Stop every process the stack started (external servers are left alone)')
    .option('--json', 'print the components as JSON')
    .action(async (options: OutputOptions) => {
      print(await stackDown(), options);
    });

  stack
    .command('status')
    .description('Probe each component; exits with 1 when any is not healthy')
    .option('--json', 'print the components as JSON')
    .action(async (options: OutputOptions) => {
      const statuses = await stackStatus();
      print(statuses, options);
      if (statuses.some((status) => !status.healthy)) process.exitCode = 1;
    });
}
