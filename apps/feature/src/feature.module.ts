import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RedisFeatureState } from '@argus/feature-state';
import { KafkaRuntime, OFF_PATH_FETCH } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import type { RedisClient } from '@argus/redis';
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
import { currencyExponent, maskPans } from '@argus/transaction';
import { stateTuning } from '@argus/config';
import type { FeatureConfig } from './feature.config';
import { FeatureService } from './feature.service';

const SERVICE = 'feature';

@Module({
  controllers: [HealthController],
  providers: [
    redisProvider(SERVICE),
    kafkaRuntimeProvider(SERVICE, maskPans),
    {
      provide: FeatureService,
      inject: [SERVICE_CONFIG, KafkaRuntime, REDIS, LOGGER],
      useFactory: (config: FeatureConfig, kafka: KafkaRuntime, redis: RedisClient, logger: Logger) =>
        new FeatureService(
          kafka,
          new RedisFeatureState(redis, stateTuning(config)),
          { currencyExponent, stateTimeoutMs: config.stateTimeoutMs },
          logger,
        ),
    },
    redisReadinessProvider(),
  ],
})
export class FeatureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(FeatureService) private readonly features: FeatureService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: FeatureConfig, logger: Logger): DynamicModule {
    return { module: FeatureModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.redis.connect();
    await this.kafka.start(['transactionsNormalized', 'labels', 'transactionsFeatures']);
    await this.kafka
      .consumer({ groupId: 'argus-feature', topic: 'transactionsNormalized' })
      .start((records) => this.features.onTransactions(records));
    await this.kafka
      .consumer({ groupId: 'argus-feature-labels', topic: 'labels', fetch: OFF_PATH_FETCH })
      .start((records) => this.features.onLabels(records));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.stop();
    this.redis.disconnect();
  }
}
