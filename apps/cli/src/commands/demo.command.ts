import { join } from 'node:path';
import { LOCAL_SERVICES, loadStackSettings, servicesUp, stackUp } from '@argus/testing';
import type { Command } from 'commander';
import { DEMO_WORLD, simulateDemoWorld, type DemoWorld } from '../demo/demo.world';
import { ensureDemoChampion, scoringSummary } from '../models/demo.model';
import { formatStateLoad } from '../state/feature-state.loader';
import { loadAuditCliSettings, runAuditVerify } from './audit.command';
import { positiveInt } from './bench.command';
import { forgetDemoCases, showDemoCases } from '../demo/demo.cases';
import { formatReplay, printRejected, runReplay } from './replay.command';
import { runStateForget, runStateLoad } from './state.command';

const CONSOLE_PORT = LOCAL_SERVICES.find((service) => service.name === 'console')!.port;
const say = (text: string) => process.stdout.write(`\n▶ ${text}\n`);
const print = (line: string) => process.stdout.write(`  ${line}\n`);
const iso = (epoch: number): string => new Date(epoch).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
/** Every demo run's population carries this before its ids; the next run forgets the previous one. */
const DEMO_NAMESPACE_PREFIX = 'demo-';
/** The transaction ids of `argus bench async|sync`, synthetic (`bench-<run>-…`) or of the world (`bench-world-…`). */
const BENCH_PREFIX = 'bench-';

interface DemoOptions {
  readonly rate: number;
  readonly customers: number;
}

function describeWorld(world: DemoWorld): void {
  const { summary } = world.simulation;
  const { timeline } = world;
  print(
    `${summary.transactions.toLocaleString('en-US')} transactions of ${world.plan.customers.toLocaleString('en-US')} ` +
      `customers from ${iso(timeline.start)} to ${iso(timeline.end)} (seed ${world.plan.seed}), ` +
      `${summary.fraud_transactions.toLocaleString('en-US')} of them fraud in ${summary.scenarios.filter((s) => s.fraud_transactions > 0).length} scenarios`,
  );
  print(`history: until ${iso(timeline.cut)} — what the model learns from and what the feature state remembers`);
  print(`the following ${world.plan.liveDays} days: replayed live through Kafka, decided by the running services`);
}

/** `argus demo`: the whole path on this machine, from nothing running to decisions and what they caught. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Stack up, services up, a simulated world: train on its history, load it into the feature state, replay ' +
        'the days that follow and show what was caught, at what latency',
    )
    // 100/s: what two cores decide within the async path's 500 ms SLO even right after the services start
    // (README, Decision latency); at 200/s a machine still warming up falls back to rules alone.
    .option('--rate <n>', 'replay rate, transactions per second', positiveInt, 100)
    .option('--customers <n>', 'size of the simulated population', positiveInt, DEMO_WORLD.customers)
    .action(async (options: DemoOptions) => {
      const started = performance.now();
      const settings = loadStackSettings();
      say('bringing up the local stack (Kafka, schema registry, PostgreSQL, Redis)…');
      const stack = await stackUp({ settings });
      for (const component of stack) print(`${component.name.padEnd(16)} ${component.address}`);
      say(
        `starting the services (${[...LOCAL_SERVICES]
          .reverse()
          .map((service) => service.name)
          .join(', ')})…`,
      );
      for (const service of await servicesUp(settings)) print(`${service.name.padEnd(18)} ${service.url}`);

      const plan = { ...DEMO_WORLD, customers: options.customers };
      say(
        `simulating the demo world: ${plan.customers} customers over the ${plan.days} days up to midnight UTC (argus simulate)…`,
      );
      const world = await simulateDemoWorld(join(settings.repoRoot, '.argus', 'demo', 'world'), plan);
      describeWorld(world);

      say('model: the champion of the model registry, or one trained on the history…');
      await ensureDemoChampion(settings.repoRoot, loadAuditCliSettings().pgUrl, world, print);

      // A population of its own per run: the same people, under new ids, so that a second demo never counts
      // the first one's transactions in its velocity windows.
      const namespace = `${DEMO_NAMESPACE_PREFIX}${Date.now().toString(36)}-`;
      say(`loading the history into the feature state (argus state load --until ${iso(world.timeline.cut)})…`);
      const forgotten = await runStateForget(DEMO_NAMESPACE_PREFIX);
      if (forgotten > 0) print(`forgot the previous demo population (${forgotten} Redis keys)`);
      const forgottenCases = await forgetDemoCases(DEMO_NAMESPACE_PREFIX, loadAuditCliSettings().pgUrl);
      if (forgottenCases > 0) print(`and its ${forgottenCases} cases (their actions stay in the audit chain)`);
      // Benchmarks leave their REVIEW and BLOCK decisions as cases: the analysts' queue is for the demo's own.
      const benchCases = await forgetDemoCases(BENCH_PREFIX, loadAuditCliSettings().pgUrl);
      if (benchCases > 0) print(`forgot ${benchCases} cases that benchmarks left in the queues`);
      const state = await runStateLoad({ file: world.file, format: 'argus', namespace, until: world.timeline.cut });
      print(formatStateLoad(state, world.timeline.cut).trimEnd());

      say(
        `replaying the following ${plan.liveDays} days at ${options.rate}/s with their own timestamps ` +
          `(argus replay --from ${iso(world.timeline.cut)}), labels sent when they became known…`,
      );
      const { summary, tracker } = await runReplay({
        file: world.file,
        format: 'argus',
        rate: options.rate,
        timestamps: 'original',
        from: world.timeline.cut,
        namespace,
        // The simulator labels every fraud: an unlabelled row is a good customer's.
        everyFraudLabelled: true,
        track: true,
      });
      printRejected(summary);
      process.stdout.write(formatReplay(summary, tracker));
      if (tracker && tracker.outstanding > 0) process.exitCode = 1;
      process.stdout.write(`${await scoringSummary()}\n`);

      say("the analysts' queues (the case service turned REVIEW and BLOCK decisions into cases)…");
      await showDemoCases(settings.repoRoot, loadAuditCliSettings().pgUrl, settings.host, print);

      say('verifying the hash-chained audit log in PostgreSQL…');
      const verify = await runAuditVerify({ pgUrl: loadAuditCliSettings().pgUrl });
      if (verify !== 0) process.exitCode = verify;
      say(`done in ${Math.round((performance.now() - started) / 1000)} s. The stack and services keep running:`);
      print(`the analysts' console at http://${settings.host}:${CONSOLE_PORT}/ holds the cases (logins above);`);
      print('`npx argus bench async` and `npx argus bench sync` measure latency and throughput;');
      print('`npx argus replay --file deploy/datasets/sparkov/fraudTest_head2145.csv --format sparkov --track`');
      print('  brings a foreign file (a public Sparkov sample) through the same path;');
      print('`npx argus services down && npx argus stack down` stops everything.');
    });
}
