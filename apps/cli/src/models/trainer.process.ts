import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export class TrainerProcessError extends Error {
  override readonly name = 'TrainerProcessError';
}

/** The trainer's Python environment (.argus/venv from apps/trainer/requirements.txt), created when missing. */
export function ensureTrainerEnvironment(repoRoot: string): string {
  const result = spawnSync(process.execPath, [join(repoRoot, 'tools', 'python.mjs'), 'ensure'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new TrainerProcessError('the trainer’s Python environment could not be prepared');
  return join(repoRoot, '.argus', 'venv', 'bin', 'python');
}

/**
 * Runs `python -m argus_trainer <args>` in the trainer's environment. Its progress (stderr) and summary
 * lines go to our stderr; the last stdout line is its JSON result. A non-zero exit is one error line.
 */
export async function runTrainer(repoRoot: string, args: readonly string[]): Promise<unknown> {
  const python = ensureTrainerEnvironment(repoRoot);
  const child = spawn(python, ['-m', 'argus_trainer', ...args], {
    cwd: repoRoot,
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'apps', 'trainer', 'src'), PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const lines = stdout.trimEnd().split('\n');
  if (code !== 0) {
    const reason = stderr.trim().split('\n').at(-1) ?? `exit code ${code}`;
    throw new TrainerProcessError(reason);
  }
  for (const line of lines.slice(0, -1)) process.stderr.write(`${line}\n`);
  try {
    return JSON.parse(lines.at(-1) ?? '') as unknown;
  } catch {
    throw new TrainerProcessError(`the trainer printed no JSON result: ${lines.at(-1) ?? '(nothing)'}`);
  }
}
