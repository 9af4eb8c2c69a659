#!/usr/bin/env node
// `npm test`: the whole suite on a clean machine. Installs what is missing, checks generated code, types,
// lint and format, runs unit tests, brings up the real local stack (Kafka, schema registry, PostgreSQL, Redis)
// and the services, runs the integration and end-to-end tiers against them, and stops everything it started.
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
// The case service announces high-value BLOCKs on a Slack-compatible webhook; the end-to-end test listens
// there (test/cases.e2e-spec.ts), on loopback.
const CHAT_WEBHOOK = { ARGUS_CASE_ALERT_WEBHOOK_URL: 'http://127.0.0.1:18190/hooks/argus-e2e' };
step('services up', () => mustRun(...argus('services', 'up'), CHAT_WEBHOOK));
step('integration tests', () =>
  mustRun('npx', ['jest', '--config', 'jest.config.js', '--runInBand', '--selectProjects', 'int']),
);
step('end-to-end tests', () =>
  mustRun('npx', ['jest', '--config', 'jest.config.js', '--runInBand', '--selectProjects', 'e2e'], CHAT_WEBHOOK),
);

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
log(`${failed ? 'FAILED' : 'passed'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
