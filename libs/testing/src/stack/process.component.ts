import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@argus/logger';
import { waitFor } from '../wait-for.helper';
import type { ArtefactInstaller } from './artefact.installer';
import { type HealthResult, isPortOpen } from './health.checks';
import {
  type DetachedProcessSpec,
  isProcessAlive,
  readPidFile,
  removePidFile,
  spawnDetached,
  stopProcessGroup,
} from './process.supervisor';
import type { ComponentName, ComponentStatus, StackComponent } from './stack.component';
import { StackError, StackErrorCode } from './stack.errors';
import type { StackSettings } from './stack.settings';

export interface ComponentContext {
  readonly settings: StackSettings;
  readonly installer: ArtefactInstaller;
  readonly logger: Logger;
}

/** Last lines of a log file, for error messages that should say why a server did not come up. */
export function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return '(no log)';
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}

/**
 * A server the stack runs itself: installed on first use, spawned detached with a pid file and a log file,
 * recognised again by pid file + command line, stopped as a process group. Subclasses say how to install,
 * configure, launch and probe it.
 */
export abstract class ProcessComponent implements StackComponent {
  abstract readonly name: ComponentName;
  /** Where clients connect (no secrets). */
  abstract readonly address: string;
  protected abstract readonly port: number;
  /** A string in the server's command line that identifies it in /proc (guards against reused pids). */
  protected abstract readonly processMarker: string;
  protected abstract readonly readyTimeoutMs: number;
  protected readonly stopSignal: NodeJS.Signals = 'SIGTERM';

  constructor(protected readonly context: ComponentContext) {}

  /** Downloads or installs what is missing; a no-op (and fast) once done. */
  protected abstract install(): Promise<void>;
  /** Writes config and data folders; returns how to launch the server. */
  protected abstract prepare(): Promise<DetachedProcessSpec>;
  /** The client-level health check reported by status(). */
  protected abstract probe(): Promise<HealthResult>;

  /** What start() waits for before afterReady(); the probe unless a server needs bootstrapping first. */
  protected readiness(): Promise<HealthResult> {
    return this.probe();
  }

  /** One-off set-up once the server answers (roles, databases). */
  protected async afterReady(): Promise<void> {}

  protected get settings(): StackSettings {
    return this.context.settings;
  }

  protected get logger(): Logger {
    return this.context.logger;
  }

  get pidFile(): string {
    return join(this.settings.stackDir, 'run', `${this.name}.pid`);
  }

  get logFile(): string {
    return join(this.settings.stackDir, 'logs', `${this.name}.log`);
  }

  /** Our server's pid when the pid file names a live process that is really our server. */
  ownPid(): number | undefined {
    const pid = readPidFile(this.pidFile);
    return pid !== undefined && isProcessAlive(pid, this.processMarker) ? pid : undefined;
  }

  async status(): Promise<ComponentStatus> {
    const pid = this.ownPid();
    const health = await this.probe();
    return {
      name: this.name,
      address: this.address,
      pid: pid ?? null,
      running: pid !== undefined || health.healthy,
      healthy: health.healthy,
      external: pid === undefined && health.healthy,
      detail: pid === undefined && health.healthy ? `${health.detail} (not started by the stack)` : health.detail,
    };
  }

  async start(): Promise<ComponentStatus> {
    let pid = this.ownPid();
    if (pid !== undefined) {
      const current = await this.status();
      if (current.healthy) {
        this.logger.info({ component: this.name, pid }, `${this.name} already running`);
        return current;
      }
      this.logger.info({ component: this.name, pid }, `${this.name} is running but not ready yet; waiting`);
    } else {
      removePidFile(this.pidFile);
      const probe = await this.probe();
      if (probe.healthy) {
        this.logger.warn(
          { component: this.name, address: this.address },
          `${this.name} is already served at ${this.address} by a process the stack did not start; using it`,
        );
        return this.status();
      }
      if (await isPortOpen(this.settings.host, this.port)) {
        throw new StackError(
          StackErrorCode.PortInUse,
          `port ${this.port} is taken by a process that does not answer like ${this.name} ` +
            `(${probe.detail}). Stop it, or choose another port (see libs/testing/README.md)`,
        );
      }
      await this.install();
      const spec = await this.prepare();
      pid = spawnDetached(spec);
      this.logger.info({ component: this.name, pid, log: this.logFile }, `${this.name} starting`);
    }
    const started = Date.now();
    await this.waitReady(pid);
    await this.afterReady();
    const status = await this.status();
    if (!status.healthy) {
      throw new StackError(StackErrorCode.StartFailed, `${this.name} started but is not healthy: ${status.detail}`);
    }
    this.logger.info(
      { component: this.name, pid, ms: Date.now() - started },
      `${this.name} ready at ${this.address} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return status;
  }

  async stop(): Promise<ComponentStatus> {
    const pid = this.ownPid();
    if (pid !== undefined) {
      const { forced } = await stopProcessGroup({
        name: this.name,
        pid,
        signal: this.stopSignal,
        graceMs: this.settings.timeouts.stopGraceMs,
      });
      this.logger.info({ component: this.name, pid, forced }, `${this.name} stopped${forced ? ' (SIGKILL)' : ''}`);
    }
    removePidFile(this.pidFile);
    return this.status();
  }

  private async waitReady(pid: number): Promise<void> {
    let last = 'no answer yet';
    try {
      await waitFor(
        async () => {
          if (!isProcessAlive(pid)) {
            throw new StackError(
              StackErrorCode.StartFailed,
              `${this.name} (pid ${pid}) exited during start-up. Last lines of ${this.logFile}:\n${logTail(this.logFile)}`,
            );
          }
          const result = await this.readiness();
          last = result.detail;
          return result.healthy;
        },
        { timeoutMs: this.readyTimeoutMs, intervalMs: 250, description: `${this.name} to become ready` },
      );
    } catch (error) {
      if (error instanceof StackError && error.code === StackErrorCode.StartFailed) throw error;
      throw new StackError(
        StackErrorCode.StartFailed,
        `${this.name} (pid ${pid}) did not become ready within ${this.readyTimeoutMs / 1000} s (${last}). ` +
          `Last lines of ${this.logFile}:\n${logTail(this.logFile)}`,
        { cause: error },
      );
    }
  }
}
