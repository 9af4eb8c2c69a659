#!/usr/bin/env node
// `npm test`: the whole suite on a clean machine. Installs what is missing, checks generated code, types,
// lint and format, runs unit tests, brings up the real local stack (Kafka, schema registry, PostgreSQL, Redis, a
// Redis Cluster beside it) and the services, runs the integration and end-to-end tiers against them, and stops
// everything it started.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { argus, ensureChromium, ensureDependencies, log, mustRun, root, run } from './bootstrap.mjs';

const started = Date.now();
ensureDependencies();

const steps = [];
const step = (name, fn) => steps.push({ name, fn });
let failed = false;

step('no path outside the repository', () => {
  mustRun('node', ['--test', '--test-reporter=dot', 'tools/check-paths.test.mjs']);
  mustRun('node', ['tools/check-paths.mjs']);
});
step('contracts up to date', () => mustRun('node', ['tools/generate-contracts.mjs', '--check']));
step('build', () => {
  mustRun('npx', ['tsc', '-p', 'tsconfig.build.json']);
  mustRun('npx', ['vite', 'build', '--logLevel', 'warn', 'apps/console/web']);
});
step("console's case API client up to date", () => mustRun('node', ['tools/generate-case-client.mjs', '--check']));
step('typecheck (with tests)', () => {
  mustRun('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  mustRun('npx', ['tsc', '-p', 'apps/console/web/tsconfig.json']);
});
// @nx/enforce-module-boundaries reads the cached project graph and silently skips itself without one (a fresh
// clone has none): compute it first, and refuse to lint if it is still missing.
step('project graph', () => {
  mustRun('npx', ['nx', 'show', 'projects']);
  if (!existsSync(join(root, '.nx', 'workspace-data', 'project-graph.json')))
    throw new Error('nx wrote no project graph: module boundaries would not be checked');
});
step('lint', () => mustRun('npx', ['eslint', '--max-warnings=0', 'apps', 'libs', 'test', 'k8s']));
step('format', () => mustRun('npx', ['prettier', '--check', '.']));
step('unit tests', () => mustRun('npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'unit']));
// A cold machine builds .argus/venv first (~17 s, ~400 MB); later runs reuse it until requirements.txt changes.
step('python tests (trainer)', () => mustRun('node', ['tools/python.mjs', 'test']));
// The console's end-to-end test drives Debian's Chromium (test/console.e2e-spec.ts).
step('browser', () => ensureChromium());
step('stack up', () => mustRun(...argus('stack', 'up')));
// Beside the single Redis the services use: a Redis Cluster of three masters (16380–16382), which the Redis
// integration tests (feature state, idempotency guard, split pipelines) must also pass on.
const REDIS_CLUSTER = { ARGUS_REDIS_CLUSTER: '3' };
step('Redis Cluster up', () => mustRun(...argus('stack', 'up', '--only', 'redis-cluster'), REDIS_CLUSTER));
// The case service announces high-value BLOCKs on a Slack-compatible webhook; the end-to-end test listens
// there (test/cases.e2e-spec.ts), on loopback.
const CHAT_WEBHOOK = { ARGUS_CASE_ALERT_WEBHOOK_URL: 'http://127.0.0.1:18190/hooks/argus-e2e' };
step('services up', () => mustRun(...argus('services', 'up'), CHAT_WEBHOOK));
step('integration tests', () =>
  mustRun('npx', ['jest', '--config', 'jest.config.js', '--runInBand', '--selectProjects', 'int'], {
    ARGUS_TEST_REDIS_CLUSTER: 'required',
  }),
);
const e2e = (env) =>
  mustRun('npx', ['jest', '--config', 'jest.config.js', '--runInBand', '--selectProjects', 'e2e'], env);
step('end-to-end tests (one Redis, one process per service)', () => e2e(CHAT_WEBHOOK));
// The production shape, scaled down: the feature state, guards and gateway on the Redis Cluster, and two
// processes of every Kafka-consuming service in its consumer group (libs/testing, "Service replicas"). The
// whole tier again: each test still sees exactly one decision per transaction.
const SCALED_OUT = { ...CHAT_WEBHOOK, ...REDIS_CLUSTER, ARGUS_SERVICES_REPLICAS: '2' };
step('services on the Redis Cluster, two replicas each', () => {
  mustRun(...argus('services', 'down'));
  mustRun(...argus('services', 'up'), SCALED_OUT);
});
step('end-to-end tests (Redis Cluster, two replicas per consuming service)', () => e2e(SCALED_OUT));

for (const { name, fn } of steps) {
  log(`── ${name}`);
  try {
    fn();
  } catch (error) {
    log(`✗ ${name}: ${error.message}`);
    failed = true;
    break;
  }
}

log('── stopping services and stack');
run(...argus('services', 'down'));
run(...argus('stack', 'down'));
run(...argus('stack', 'down', '--only', 'redis-cluster'), REDIS_CLUSTER);
log(`${failed ? 'FAILED' : 'passed'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
