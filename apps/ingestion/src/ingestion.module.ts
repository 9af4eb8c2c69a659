import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { IdempotencyGuard, type RedisClient } from '@argus/redis';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  REDIS,
  redisProvider,
  redisReadinessProvider,
  SERVICE_CONFIG,
} from '@argus/service-kit';
import { maskPans, PanTokeniser } from '@argus/transaction';
import type { IngestionConfig } from './ingestion.config';
import { IngestionService } from './ingestion.service';
import { TransactionsController } from './transactions.controller';

const SERVICE = 'ingestion';

@Module({
  controllers: [TransactionsController, HealthController],
  providers: [
    redisProvider(SERVICE),
    kafkaRuntimeProvider(SERVICE, maskPans),
    {
      provide: IngestionService,
      inject: [SERVICE_CONFIG, KafkaRuntime, REDIS, LOGGER],
      useFactory: (config: IngestionConfig, kafka: KafkaRuntime, redis: RedisClient, logger: Logger) =>
        new IngestionService(
          kafka,
          new IdempotencyGuard(redis, 'argus:ingestion:txn', config.dedupTtlHours * 3600),
          new PanTokeniser({ keyId: config.panTokenKeyId, key: Buffer.from(config.panTokenKey, 'utf8') }),
          { maxAmountMajor: config.maxAmountMajor, dedupTimeoutMs: config.dedupTimeoutMs },
          logger,
        ),
    },
    redisReadinessProvider(),
  ],
})
export class IngestionModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(IngestionService) private readonly ingestion: IngestionService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: IngestionConfig, logger: Logger): DynamicModule {
    return { module: IngestionModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.redis.connect();
    await this.kafka.start(['transactions', 'transactionsNormalized']);
    await this.kafka
      .consumer({ groupId: 'argus-ingestion', topic: 'transactions' })
      .start((records) => this.ingestion.onTransactions(records));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.stop();
    this.redis.disconnect();
  }
}
