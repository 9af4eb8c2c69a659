// Shared by `npm test` and `npm run demo`: what a fresh clone needs before anything runs.
// Plain Node (no dependencies): it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function log(message) {
  process.stderr.write(`[argus] ${message}\n`);
}

/**
 * Installs the locked dependency tree when node_modules is missing or older than the lock file.
 * `npm install` rather than `npm ci`: the registry these machines reach serves only the linux-x64
 * builds of platform packages (@swc/core-darwin-*, … answer 404), so npm writes a lock without them
 * and `npm ci`'s strict lock check then refuses it. `npm install` honours the same pinned versions.
 * onnxruntime-node must not download CUDA.
 */
export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm install from package-lock.json)…');
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
}

/** Runs a command in the repository, inheriting output; resolves to its exit code. */
export function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: 'UTC', ...env } });
  return result.status ?? 1;
}

export function mustRun(command, args, env = {}) {
  const code = run(command, args, env);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${code}`);
}

export const argus = (...args) => ['node', ['bin/argus.js', ...args]];

/** Installs Debian packages (as libs/testing's installer does: debconf never waits, a fresh image has no lists). */
export function aptInstall(...packages) {
  const apt = (...args) =>
    mustRun('apt-get', ['-q', '-y', '-o', 'DPkg::Lock::Timeout=300', ...args], { DEBIAN_FRONTEND: 'noninteractive' });
  apt('update');
  apt('install', '--no-install-recommends', ...packages);
}

/** Debian's Chromium, which the console's browser test drives (playwright-core cannot download one here). */
export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0)
    throw new Error('the browser test needs Chromium. Install it with: sudo apt-get install -y chromium');
  log('installing chromium with apt-get (first run only, about a minute)…');
  aptInstall('chromium');
}
