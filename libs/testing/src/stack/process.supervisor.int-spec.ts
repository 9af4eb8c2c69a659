import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../wait-for.helper';
import { isProcessAlive, processFamily, readPidFile, spawnDetached, stopProcessGroup } from './process.supervisor';

describe('process supervisor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-supervisor-'));

  it('runs a detached process tree with a pid file and a log, and stops all of it', async () => {
    const pidFile = join(dir, 'tree.pid');
    const logFile = join(dir, 'tree.log');
    // A parent that ignores SIGTERM, with a child that moved to its own session, like PostgreSQL's backends.
    const script = `trap '' TERM; echo started; setsid sleep 300 & sleep 300 & wait`;
    const pid = spawnDetached({ command: 'sh', args: ['-c', script], cwd: dir, logFile, pidFile });

    expect(readPidFile(pidFile)).toBe(pid);
    await waitFor(() => processFamily(pid).length >= 2, { timeoutMs: 5_000, description: 'the children to start' });
    await waitFor(() => readFileSync(logFile, 'utf8').includes('started'), {
      timeoutMs: 5_000,
      description: 'the log',
    });
    expect(isProcessAlive(pid, 'trap')).toBe(true);
    expect(isProcessAlive(pid, 'no-such-marker')).toBe(false);
    const family = processFamily(pid);

    const { forced } = await stopProcessGroup({ name: 'tree', pid, signal: 'SIGTERM', graceMs: 500 });

    expect(forced).toBe(true);
    expect([pid, ...family].filter((member) => isProcessAlive(member))).toEqual([]);
  });

  it('treats a stopped process as stopped', async () => {
    await expect(
      stopProcessGroup({ name: 'gone', pid: 2 ** 22 + 1, signal: 'SIGTERM', graceMs: 100 }),
    ).resolves.toEqual({
      forced: false,
    });
  });
});
