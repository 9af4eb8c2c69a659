import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AuditStore } from '@argus/audit-store';
import { Topics } from '@argus/contracts';
import { KafkaRuntime, OFF_PATH_FETCH } from '@argus/kafka';
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
import { AUDITED, AuditService, type AuditedTopic } from './audit.service';

const SERVICE = 'audit';

/** `argus-audit` for decisions (the group it always had), `argus-audit-<topic>` for the others. */
export function auditGroup(topic: AuditedTopic): string {
  return topic === 'decisions' ? 'argus-audit' : `argus-audit-${Topics[topic].name}`;
}

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
    const topics = Object.keys(AUDITED) as AuditedTopic[];
    await this.kafka.start(topics);
    // One consumer group per topic: a slow topic never holds back the decisions' offsets. Audit is off the
    // decision path: its fetches gather a quarter of a second of records, one insert and one commit for them.
    for (const topic of topics) {
      await this.kafka
        .consumer({ groupId: auditGroup(topic), topic, fetch: OFF_PATH_FETCH })
        .start((records) => this.audit.onRecords(topic, records));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.stop();
    await this.pool.end();
  }
}
