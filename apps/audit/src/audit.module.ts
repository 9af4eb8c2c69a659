import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AuditStore } from '@argus/audit-store';
import { KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { createPgPool, type PgPool } from '@argus/pg';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  READINESS_CHECKS,
  SERVICE_CONFIG,
  type ReadinessCheck,
} from '@argus/service-kit';
import { maskPans } from '@argus/transaction';
import type { AuditConfig } from './audit.config';
import { AuditService } from './audit.service';

const SERVICE = 'audit';
const PG_POOL = Symbol('PG_POOL');

@Module({
  controllers: [HealthController],
  providers: [
    kafkaRuntimeProvider(SERVICE, maskPans),
    {
      provide: PG_POOL,
      inject: [SERVICE_CONFIG],
      useFactory: (config: AuditConfig) => createPgPool({ url: config.postgresUrl, applicationName: 'argus-audit' }),
    },
    { provide: AuditStore, inject: [PG_POOL], useFactory: (pool: PgPool) => new AuditStore(pool) },
    {
      provide: AuditService,
      inject: [AuditStore, LOGGER],
      useFactory: (store: AuditStore, logger: Logger) => new AuditService(store, logger),
    },
    {
      provide: READINESS_CHECKS,
      inject: [PG_POOL],
      useFactory: (pool: PgPool): ReadinessCheck[] => [
        { name: 'postgres', check: async () => (await pool.query('health', 'select 1')).rowCount === 1 },
      ],
    },
  ],
})
export class AuditModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AuditStore) private readonly store: AuditStore,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: AuditConfig, logger: Logger): DynamicModule {
    return { module: AuditModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.migrate();
    await this.kafka.start(['decisions']);
    await this.kafka
      .consumer({ groupId: 'argus-audit', topic: 'decisions' })
      .start((records) => this.audit.onDecisions(records));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.stop();
    await this.pool.end();
  }
}
