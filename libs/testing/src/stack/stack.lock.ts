import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@argus/logger';
import { waitFor } from '../wait-for.helper';
import { isProcessAlive } from './process.supervisor';
import { StackError, StackErrorCode } from './stack.errors';

/** Returns true when the lock was taken; false when another live process holds it. */
function tryLock(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let holder = Number.NaN;
  try {
    holder = Number(readFileSync(lockFile, 'utf8').trim());
  } catch {
    // Removed between our open and our read: free again.
  }
  // A holder that died (Ctrl-C, a killed Jest worker) must not block every later run.
  if (!Number.isInteger(holder) || !isProcessAlive(holder)) {
    rmSync(lockFile, { force: true });
  }
  return false;
}

export interface LockOptions {
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** What the holder is doing, for the "waiting" line: "starting or stopping the stack". */
  readonly purpose: string;
}

/**
 * Runs `task` holding a lock file that names our pid. Serialises `stack up` / `stack down` across processes
 * (parallel Jest workers and a CLI call must not start two brokers on one port or stop a stack another process
 * is bringing up) and downloads into the shared runtime folder. A lock whose holder died is taken over.
 */
export async function withStackLock<T>(lockFile: string, options: LockOptions, task: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  if (!tryLock(lockFile)) {
    options.logger.info({ lockFile }, `another process is ${options.purpose}; waiting for it`);
    try {
      await waitFor(() => tryLock(lockFile), {
        timeoutMs: options.timeoutMs,
        intervalMs: 250,
        description: `the lock ${lockFile}`,
      });
    } catch (error) {
      throw new StackError(StackErrorCode.Timeout, `${lockFile} stayed locked by another process`, { cause: error });
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
