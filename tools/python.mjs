#!/usr/bin/env node
// The trainer's Python environment: a virtual environment at .argus/venv (ignored by git) with exactly
// apps/trainer/requirements.txt installed. Plain Node (no dependencies), like bootstrap.mjs.
//   node tools/python.mjs ensure   create or refresh the environment
//   node tools/python.mjs test     … then run the trainer's pytest suite
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aptInstall, log, mustRun, root } from './bootstrap.mjs';

export const venv = join(root, '.argus', 'venv');
const requirements = join(root, 'apps', 'trainer', 'requirements.txt');
// Written only after a successful install, so an interrupted one is redone on the next run.
const marker = join(venv, '.argus-requirements.sha256');
const python = join(venv, 'bin', 'python');
const MIN_PYTHON = [3, 11];

function capture(command, args) {
  return spawnSync(command, args, { cwd: root, encoding: 'utf8' });
}

function requirementsHash() {
  return createHash('sha256').update(readFileSync(requirements)).digest('hex');
}

function checkSystemPython() {
  const probe = capture('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
  if (probe.error || probe.status !== 0)
    throw new Error(`python3 is needed for the trainer and was not found: install Python ${MIN_PYTHON.join('.')}`);
  const [major, minor] = probe.stdout.trim().split('.').map(Number);
  if (major !== MIN_PYTHON[0] || minor < MIN_PYTHON[1])
    throw new Error(`python3 is ${major}.${minor}; the trainer needs Python ${MIN_PYTHON.join('.')} or later`);
}

/** `python3 -m venv`; on Debian without python3-venv (no ensurepip) installs it when root, else says how. */
function createVenv() {
  const attempt = () => capture('python3', ['-m', 'venv', venv]);
  let result = attempt();
  if (result.status === 0) return;
  rmSync(venv, { recursive: true, force: true });
  const output = `${result.stdout}${result.stderr}`;
  if (!/ensurepip|python3(\.\d+)?-venv/.test(output))
    throw new Error(`python3 -m venv ${venv} failed:\n${output.trim()}`);
  if (process.getuid?.() !== 0)
    throw new Error(
      'python3 cannot create virtual environments. Install it with: sudo apt-get install -y python3-venv',
    );
  log('installing python3-venv with apt-get (first run only)…');
  aptInstall('python3-venv');
  result = attempt();
  if (result.status !== 0) {
    rmSync(venv, { recursive: true, force: true });
    throw new Error(`python3 -m venv failed even with python3-venv installed:\n${result.stdout}${result.stderr}`);
  }
}

/**
 * Makes .argus/venv match apps/trainer/requirements.txt: rebuilt from scratch when missing or when the file
 * changed (its hash is kept in the venv), so no package from an older pin set lingers. Wheels only: a
 * missing wheel fails fast instead of compiling numpy or scipy for minutes.
 */
export function ensurePythonEnv() {
  const wanted = requirementsHash();
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === wanted) return;
  const started = Date.now();
  checkSystemPython();
  log(`creating the trainer's Python environment in .argus/venv (when requirements.txt changes)…`);
  rmSync(venv, { recursive: true, force: true });
  createVenv();
  mustRun(python, [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
    '--only-binary=:all:',
    '-r',
    requirements,
  ]);
  writeFileSync(marker, `${wanted}\n`);
  log(`Python environment ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs the trainer's tests in the environment (pytest reads apps/trainer/pyproject.toml). */
export function runTrainerTests(extraArgs = []) {
  mustRun(python, ['-m', 'pytest', '-q', 'apps/trainer/tests', ...extraArgs], { PYTHONDONTWRITEBYTECODE: '1' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command = 'ensure', ...rest] = process.argv.slice(2);
  try {
    ensurePythonEnv();
    if (command === 'test') runTrainerTests(rest);
    else if (command !== 'ensure') throw new Error(`unknown command ${command}: use ensure or test`);
  } catch (error) {
    log(`✗ ${error.message}`);
    process.exit(1);
  }
}
