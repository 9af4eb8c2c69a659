import { spawn } from 'node:child_process';
import {
  closeSync,
  createWriteStream,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { waitFor } from '../wait-for.helper';
import { describeError, StackError, StackErrorCode } from './stack.errors';

/** An OS identity to run a process as (postgres refuses to run as root). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
}

export interface DetachedProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  readonly pidFile: string;
  readonly runAs?: RunAs;
  /** The process's whole environment; the caller's when omitted. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts a long-running server in its own session and process group, with output to a log file, so that it
 * outlives the process that started it (a CLI call, a Jest worker) and can be stopped as a group later.
 */
export function spawnDetached(spec: DetachedProcessSpec): number {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const fd = openSync(spec.logFile, 'a');
  try {
    writeSync(fd, `\n=== ${new Date().toISOString()} starting: ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: spec.env ?? process.env,
      uid: spec.runAs?.uid,
      gid: spec.runAs?.gid,
    });
    // A failed exec (ENOENT) is reported asynchronously; without a listener it would crash the caller.
    child.on('error', (error) => {
      try {
        writeFileSync(spec.logFile, `spawn failed: ${describeError(error)}\n`, { flag: 'a' });
      } catch {
        // The log is best effort; the readiness wait reports the process as gone.
      }
    });
    if (child.pid === undefined) {
      throw new StackError(StackErrorCode.StartFailed, `could not start ${spec.command} (see ${spec.logFile})`);
    }
    child.unref();
    writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    // The child holds its own copy; keeping ours open would keep the caller's event loop busy.
    closeSync(fd);
  }
}

export function readPidFile(pidFile: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8').trim();
  } catch {
    return undefined;
  }
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

export interface ProcStat {
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
}

/** Parses /proc/<pid>/stat; the command name sits in parentheses and may itself contain spaces or ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  if (fields[0] === undefined || !Number.isInteger(ppid) || !Number.isInteger(pgrp)) return undefined;
  return { state: fields[0], ppid, pgrp };
}

function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * True when `pid` runs and is not a zombie. With `marker`, its command line must also contain the marker, so a
 * stale pid file whose number was reused by an unrelated process is not mistaken for our server.
 */
export function isProcessAlive(pid: number, marker?: string): boolean {
  const stat = readProcStat(pid);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false;
  return marker === undefined || readCmdline(pid).includes(marker);
}

function liveProcesses(): Map<number, ProcStat> {
  const processes = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat !== undefined && stat.state !== 'Z' && stat.state !== 'X') processes.set(Number(entry), stat);
  }
  return processes;
}

/**
 * Live processes that belong to a server: members of its process group and its descendants. Both, because
 * some servers move their children into sessions of their own (PostgreSQL's backends call setsid()).
 */
export function processFamily(pid: number, processes: ReadonlyMap<number, ProcStat> = liveProcesses()): number[] {
  const family = new Set<number>();
  for (const [member, stat] of processes) if (stat.pgrp === pid) family.add(member);
  let frontier = [pid];
  while (frontier.length > 0) {
    const parents = new Set(frontier);
    frontier = [];
    for (const [child, stat] of processes) {
      if (parents.has(stat.ppid) && !family.has(child)) {
        family.add(child);
        frontier.push(child);
      }
    }
  }
  family.delete(pid);
  return [...family];
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export interface StopSpec {
  readonly name: string;
  readonly pid: number;
  /** SIGTERM for most servers; SIGINT for PostgreSQL, where SIGTERM waits for every client to disconnect. */
  readonly signal: NodeJS.Signals;
  readonly graceMs: number;
}

/**
 * Stops a server started by {@link spawnDetached}: the graceful signal to the server first, then, after
 * `graceMs` or once it exited, SIGKILL to the server and to every child or group member still alive, so that
 * nothing is left behind.
 */
export async function stopProcessGroup(spec: StopSpec): Promise<{ forced: boolean }> {
  const { pid, name } = spec;
  // Taken before the signal: once the leader is gone its orphans are re-parented and no longer look like family.
  const family = processFamily(pid);
  let forced = false;
  if (isProcessAlive(pid)) {
    signal(pid, spec.signal);
    try {
      await waitFor(() => !isProcessAlive(pid), {
        timeoutMs: spec.graceMs,
        intervalMs: 100,
        description: `${name} (pid ${pid}) to exit after ${spec.signal}`,
      });
    } catch {
      forced = true;
    }
  }
  const remaining = () => [pid, ...family, ...processFamily(pid)].filter((member) => isProcessAlive(member));
  if (remaining().length > 0) {
    for (const member of new Set(remaining())) signal(member, 'SIGKILL');
    try {
      await waitFor(() => remaining().length === 0, {
        timeoutMs: 10_000,
        intervalMs: 100,
        description: `${name} (pid ${pid}) and its children to exit after SIGKILL`,
      });
    } catch (error) {
      throw new StackError(StackErrorCode.StopFailed, `could not stop ${name} (pid ${pid})`, { cause: error });
    }
  }
  return { forced };
}

export interface CommandSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Output is also appended here, for commands whose output is long (Maven, apt). */
  readonly logFile?: string;
  readonly runAs?: RunAs;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

const OUTPUT_TAIL = 4000;

/** Runs a one-off command to completion; a non-zero exit becomes a {@link StackError} with the output's tail. */
export function runCommand(spec: CommandSpec): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const log = spec.logFile === undefined ? undefined : createWriteStream(spec.logFile, { flags: 'a' });
    log?.write(`\n=== ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: spec.runAs?.uid,
      gid: spec.runAs?.gid,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-64_000);
      log?.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-64_000);
      log?.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
    const label = `${spec.command} ${spec.args.slice(0, 3).join(' ')}`;
    child.on('error', (error) => {
      clearTimeout(timer);
      log?.end();
      reject(new StackError(StackErrorCode.CommandFailed, `${label}: ${describeError(error)}`, { cause: error }));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      log?.end();
      if (code === 0) {
        resolvePromise({ stdout, stderr });
        return;
      }
      const why = sig === null ? `exited with code ${code}` : `was killed by ${sig} (timeout ${spec.timeoutMs} ms?)`;
      const tail = `${stdout}\n${stderr}`.trim().slice(-OUTPUT_TAIL);
      const where = spec.logFile === undefined ? '' : ` (full output in ${spec.logFile})`;
      reject(new StackError(StackErrorCode.CommandFailed, `${label} ${why}${where}:\n${tail}`));
    });
  });
}

/** True when `command` can be executed (found on the PATH); it is run with `args`, which must be harmless. */
export async function commandExists(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await runCommand({ command, args, timeoutMs: 30_000 });
    return true;
  } catch (error) {
    const cause = error instanceof StackError ? error.cause : undefined;
    if ((cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return false;
    throw error;
  }
}
