import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { scoringOptions } from '@argus/config';
import { FEATURE_SCHEMA_HASH } from '@argus/features';
import { KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { ModelRegistry } from '@argus/model-registry';
import type { PgPool } from '@argus/pg';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  PG_POOL,
  pgPoolProvider,
  pgReadinessProvider,
  SERVICE_CONFIG,
} from '@argus/service-kit';
import { maskPans } from '@argus/transaction';
import { ModelCatalog } from '@argus/decisioning';
import { ModelsController } from './models.controller';
import type { ScoringConfig } from './scoring.config';
import { ScoringService } from './scoring.service';

const SERVICE = 'scoring';

@Module({
  controllers: [HealthController, ModelsController],
  providers: [
    kafkaRuntimeProvider(SERVICE, maskPans),
    pgPoolProvider(SERVICE, 4),
    { provide: ModelRegistry, inject: [PG_POOL], useFactory: (pool: PgPool) => new ModelRegistry(pool) },
    {
      provide: ModelCatalog,
      inject: [ModelRegistry, LOGGER],
      useFactory: (registry: ModelRegistry, logger: Logger) => new ModelCatalog(registry, FEATURE_SCHEMA_HASH, logger),
    },
    {
      provide: ScoringService,
      inject: [SERVICE_CONFIG, KafkaRuntime, ModelCatalog, LOGGER],
      useFactory: (config: ScoringConfig, kafka: KafkaRuntime, catalog: ModelCatalog, logger: Logger) =>
        new ScoringService(kafka, catalog, scoringOptions(config), logger),
    },
    pgReadinessProvider(),
  ],
})
export class ScoringModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private poll: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ScoringConfig,
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(ModelRegistry) private readonly registry: ModelRegistry,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(ScoringService) private readonly scoring: ScoringService,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: ScoringConfig, logger: Logger): DynamicModule {
    return { module: ScoringModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.migrate();
    await this.catalog.refresh();
    this.poll = setInterval(() => void this.catalog.refresh(), this.config.modelPollMs);
    this.poll.unref();
    await this.kafka.start(['transactionsFeatures', 'transactionsScores']);
    await this.kafka
      .consumer({ groupId: 'argus-scoring', topic: 'transactionsFeatures' })
      .start((records) => this.scoring.onFeatures(records));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.poll);
    await this.kafka.stop();
    await this.catalog.close();
    await this.pool.end();
  }
}
