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
import type { PgPool } from '@argus/pg';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  PG_POOL,
  pgPoolProvider,
  pgReadinessProvider,
} from '@argus/service-kit';
import { maskPans } from '@argus/transaction';
import type { AuditConfig } from './audit.config';
import { AuditService } from './audit.service';

const SERVICE = 'audit';

@Module({
  controllers: [HealthController],
  providers: [
    kafkaRuntimeProvider(SERVICE, maskPans),
    pgPoolProvider(SERVICE),
    { provide: AuditStore, inject: [PG_POOL], useFactory: (pool: PgPool) => new AuditStore(pool) },
    {
      provide: AuditService,
      inject: [AuditStore, LOGGER],
      useFactory: (store: AuditStore, logger: Logger) => new AuditService(store, logger),
    },
    pgReadinessProvider(),
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
