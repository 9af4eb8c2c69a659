import { loadStackSettings, servicesDown, servicesStatus, servicesUp, type ServiceStatus } from '@argus/testing';
import type { Command } from 'commander';

function print(statuses: readonly ServiceStatus[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    return;
  }
  const rows = statuses.map((s) => [
    s.id,
    s.url,
    s.ready ? 'ready' : s.running ? 'starting / not ready' : 'stopped',
    s.pid === undefined ? '-' : String(s.pid),
    s.logFile,
  ]);
  const header = ['service', 'address', 'state', 'pid', 'log'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}

/** `argus services up|down|status`: every Argus app as a local process, logs in .argus/services/logs. */
export function registerServicesCommands(program: Command): void {
  const services = program.command('services').description('Argus services as local processes');

  services
    .command('up')
    .description('Start every service not already running and wait until each is ready')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const statuses = await servicesUp(loadStackSettings());
      print(statuses, options.json === true);
    });

  services
    .command('down')
    .description('Stop every service (they finish and commit their current batch)')
    .action(async () => {
      const settings = loadStackSettings();
      await servicesDown(settings);
      print(await servicesStatus(settings), false);
    });

  services
    .command('status')
    .description('Show each service; exits with 1 when any is not ready')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const statuses = await servicesStatus(loadStackSettings());
      print(statuses, options.json === true);
      if (statuses.some((s) => !s.ready)) process.exitCode = 1;
    });
}
