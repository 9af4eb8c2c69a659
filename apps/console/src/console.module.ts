import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from '@argus/logger';
import { HealthController, LOGGER, READINESS_CHECKS, SERVICE_CONFIG, type ReadinessCheck } from '@argus/service-kit';
import type { ConsoleConfig } from './console.config';

/** Ready when the web app is built and the case service answers: the console is useless without either. */
function readiness(config: ConsoleConfig): ReadinessCheck[] {
  return [
    { name: 'assets', check: () => existsSync(join(config.assetsDir, 'index.html')) },
    {
      name: 'case-api',
      check: async () =>
        (await fetch(new URL('/health/live', config.caseApiUrl), { signal: AbortSignal.timeout(1_000) })).ok,
    },
  ];
}

@Module({ controllers: [HealthController] })
export class ConsoleModule {
  static withConfig(config: ConsoleConfig, logger: Logger): DynamicModule {
    return {
      module: ConsoleModule,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: READINESS_CHECKS, useValue: readiness(config) },
      ],
    };
  }
}
