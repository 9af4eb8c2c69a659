import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';

/** A named readiness check; a service registers one per dependency (Kafka consumer running, Redis, …). */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean> | boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** Kubernetes probes: liveness says the process serves; readiness says its dependencies answer. */
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, boolean> }> {
    const results = await Promise.all(
      this.checks.map(async (c) => [c.name, await Promise.resolve(c.check()).catch(() => false)] as const),
    );
    const checks = Object.fromEntries(results);
    if (results.some(([, ok]) => !ok)) {
      throw new HttpException({ status: 'unavailable', checks }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', checks };
  }
}
