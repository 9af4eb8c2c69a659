import type { HealthResult } from './health.checks';
import type { ComponentName, ComponentStatus, StackComponent } from './stack.component';
import { StackError, StackErrorCode } from './stack.errors';

/**
 * A server someone else runs (ARGUS_PG_URL, ARGUS_REDIS_URL): the stack only checks that it answers and never
 * starts or stops it.
 */
export class ExternalComponent implements StackComponent {
  constructor(
    readonly name: ComponentName,
    private readonly address: string,
    private readonly settingName: string,
    private readonly probe: () => Promise<HealthResult>,
  ) {}

  async status(): Promise<ComponentStatus> {
    const health = await this.probe();
    return {
      name: this.name,
      address: this.address,
      pid: null,
      running: health.healthy,
      healthy: health.healthy,
      external: true,
      detail: `${health.detail} (external, from ${this.settingName})`,
    };
  }

  async start(): Promise<ComponentStatus> {
    const status = await this.status();
    if (!status.healthy) {
      throw new StackError(
        StackErrorCode.StartFailed,
        `${this.name} at ${this.address} (${this.settingName}) does not answer: ${status.detail}`,
      );
    }
    return status;
  }

  stop(): Promise<ComponentStatus> {
    return this.status();
  }
}
