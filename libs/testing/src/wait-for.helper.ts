import { setTimeout as sleep } from 'node:timers/promises';
import { StackError, StackErrorCode } from './stack/stack.errors';

export interface WaitForOptions {
  readonly timeoutMs: number;
  /** Pause between two checks; 100 ms unless told. */
  readonly intervalMs?: number;
  /** What is awaited, in words, for the timeout message: "Kafka to accept metadata requests". */
  readonly description: string;
}

/**
 * Polls `condition` until it returns true, then resolves; rejects with a {@link StackError} (`TIMEOUT`) naming
 * `description` when it does not within `timeoutMs`. Tests wait for a condition with this instead of sleeping.
 * An exception thrown by `condition` is not retried: it ends the wait at once, so a condition can fail fast
 * (a process that exited will not become ready).
 */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  { timeoutMs, intervalMs = 100, description }: WaitForOptions,
): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    if (await condition()) return;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new StackError(
        StackErrorCode.Timeout,
        `timed out after ${Date.now() - started} ms (${attempts} checks) waiting for ${description}`,
      );
    }
    await sleep(Math.min(intervalMs, remaining));
  }
}
