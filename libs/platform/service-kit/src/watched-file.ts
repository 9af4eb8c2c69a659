import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import type { Logger } from '@argus/logger';

/**
 * A configuration file that risk teams change without a deploy (rule sets, the decision policy). Parsed at
 * start (a bad file then stops the service), then re-read whenever it changes; a change that does not parse is
 * refused with the parser's message — line and reason — and the last good version stays in force.
 */
export class WatchedFile<T> {
  private current: T;
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private lastMtimeMs = 0;
  private lastRejection: string | undefined;

  constructor(
    readonly path: string,
    private readonly parse: (text: string, sourceName: string) => T,
    private readonly describe: (value: T) => string,
    private readonly logger: Logger,
  ) {
    this.current = this.load();
    logger.info({ file: path, version: describe(this.current) }, 'configuration loaded');
  }

  get value(): T {
    return this.current;
  }

  /** Why the latest change was refused, if it was; cleared by the next good version. */
  get rejection(): string | undefined {
    return this.lastRejection;
  }

  /** fs.watch for promptness plus a slow poll, because editors that replace files can drop watch events. */
  startWatching(pollMs = 2_000): void {
    this.watcher = watch(this.path, { persistent: false }, () => this.reload());
    this.poll = setInterval(() => this.reload(), pollMs);
    this.poll.unref();
  }

  stop(): void {
    this.watcher?.close();
    if (this.poll) clearInterval(this.poll);
  }

  /** Re-reads the file if it changed; returns true when a new version took effect. */
  reload(): boolean {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch (error) {
      this.refuse(`cannot read ${this.path}: ${(error as Error).message}`);
      return false;
    }
    if (mtimeMs === this.lastMtimeMs) return false;
    try {
      const next = this.load();
      const changed = this.describe(next) !== this.describe(this.current);
      this.current = next;
      this.lastRejection = undefined;
      if (changed) this.logger.info({ file: this.path, version: this.describe(next) }, 'configuration reloaded');
      return changed;
    } catch (error) {
      this.lastMtimeMs = mtimeMs;
      this.refuse((error as Error).message);
      return false;
    }
  }

  private load(): T {
    const text = readFileSync(this.path, 'utf8');
    this.lastMtimeMs = statSync(this.path).mtimeMs;
    return this.parse(text, this.path);
  }

  private refuse(reason: string): void {
    if (reason === this.lastRejection) return;
    this.lastRejection = reason;
    this.logger.error(
      { file: this.path, inForce: this.describe(this.current), reason },
      'configuration change refused; last good version stays in force',
    );
  }
}
