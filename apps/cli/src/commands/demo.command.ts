import { join } from 'node:path';
import { BENCH_POPULATION, LOCAL_SERVICES, loadStackSettings, servicesUp, stackUp } from '@argus/testing';
import type { Command } from 'commander';
import { formatBenchResult, runAsyncBench } from '../bench/async.bench';
import { DEFAULT_API_KEY, DEFAULT_GATEWAY_URL, formatSyncBenchResult, runSyncBench } from '../bench/sync.bench';
import { ensureDemoChampion, scoringSummary } from '../models/demo.model';
import { loadAuditCliSettings, runAuditVerify } from './audit.command';
import { formatReplay, printRejected, runReplay } from './replay.command';

const say = (text: string) => process.stdout.write(`\n▶ ${text}\n`);

/** `argus demo`: the whole path on this machine, from nothing running to decisions and their latency. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Stack up, services up, replay the Sparkov sample, show decisions and latency, run a short benchmark')
    .option('--rate <n>', 'replay rate, transactions per second', (v) => Number(v), 400)
    .action(async (options: { rate: number }) => {
      const settings = loadStackSettings();
      say('bringing up the local stack (Kafka, schema registry, PostgreSQL, Redis)…');
      const stack = await stackUp({ settings });
      for (const component of stack) process.stdout.write(`  ${component.name.padEnd(16)} ${component.address}\n`);
      say(
        `starting the services (${[...LOCAL_SERVICES]
          .reverse()
          .map((service) => service.name)
          .join(', ')})…`,
      );
      for (const service of await servicesUp(settings))
        process.stdout.write(`  ${service.name.padEnd(18)} ${service.url}\n`);

      say('model: the champion of the model registry, or train one on a simulated history…');
      await ensureDemoChampion(settings.repoRoot, loadAuditCliSettings().pgUrl, (line) =>
        process.stdout.write(`  ${line}\n`),
      );

      const file = join(settings.repoRoot, '..', 'shared', 'datasets', 'sparkov', 'fraudTest_head2145.csv');
      say(`replaying ${file} (Sparkov format, card numbers tokenised before sending) at ${options.rate}/s…`);
      const { summary, tracker } = await runReplay({
        file,
        format: 'sparkov',
        rate: options.rate,
        timestamps: 'now',
        // A fresh id space per run: ingestion rightly drops transaction ids it has already accepted.
        idPrefix: `demo-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-`,
        track: true,
      });
      printRejected(summary);
      process.stdout.write(formatReplay(summary, tracker));
      if (tracker && tracker.outstanding > 0) process.exitCode = 1;
      process.stdout.write(`${await scoringSummary()}\n`);

      say('async benchmark: 500 transactions/s for 10 s…');
      const bench = await runAsyncBench({ rate: 500, durationS: 10, drainS: 30, seed: 42, ...BENCH_POPULATION });
      process.stdout.write(formatBenchResult('async path: transactions → decisions', bench));
      say('sync gateway benchmark: POST /v1/decisions, 200 requests/s for 10 s…');
      const sync = await runSyncBench({
        url: DEFAULT_GATEWAY_URL,
        apiKey: DEFAULT_API_KEY,
        rate: 200,
        durationS: 10,
        warmupS: 2,
        connections: 64,
        timeoutMs: 2_000,
        seed: 42,
        ...BENCH_POPULATION,
      });
      process.stdout.write(formatSyncBenchResult(sync));
      say('verifying the hash-chained audit log in PostgreSQL…');
      const verify = await runAuditVerify({ pgUrl: loadAuditCliSettings().pgUrl });
      if (verify !== 0) process.exitCode = verify;
      say('the stack and services keep running: `npx argus services down && npx argus stack down` stops them;');
      process.stdout.write('  `npx argus audit verify` checks the audit chain.\n');
    });
}
