import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { parsePolicy, type DecisionPolicy } from '@argus/decision';
import { KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { IdempotencyGuard, type Redis } from '@argus/redis';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  REDIS,
  redisProvider,
  redisReadinessProvider,
  SERVICE_CONFIG,
  WatchedFile,
} from '@argus/service-kit';
import { maskPans } from '@argus/transaction';
import type { CombinerConfig } from './combiner.config';
import { CombinerService } from './combiner.service';

const SERVICE = 'decision-combiner';

@Module({
  controllers: [HealthController],
  providers: [
    redisProvider(SERVICE),
    kafkaRuntimeProvider(SERVICE, maskPans),
    {
      provide: WatchedFile,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: CombinerConfig, logger: Logger) =>
        new WatchedFile<DecisionPolicy>(config.policyFile, parsePolicy, (policy) => policy.version, logger),
    },
    {
      provide: CombinerService,
      inject: [SERVICE_CONFIG, KafkaRuntime, WatchedFile, REDIS, LOGGER],
      useFactory: (
        config: CombinerConfig,
        kafka: KafkaRuntime,
        policy: WatchedFile<DecisionPolicy>,
        redis: Redis,
        logger: Logger,
      ) =>
        new CombinerService(
          kafka,
          policy,
          new IdempotencyGuard(redis, 'argus:combiner:decided', config.decisionMemoryHours * 3600),
          logger,
        ),
    },
    redisReadinessProvider(),
  ],
})
export class CombinerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(CombinerService) private readonly combiner: CombinerService,
    @Inject(WatchedFile) private readonly policy: WatchedFile<DecisionPolicy>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: CombinerConfig, logger: Logger): DynamicModule {
    return { module: CombinerModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.policy.startWatching();
    await this.redis.connect();
    await this.kafka.start(['transactionsRuleResults', 'decisions']);
    await this.kafka
      .consumer({ groupId: 'argus-decision-combiner', topic: 'transactionsRuleResults' })
      .start((records) => this.combiner.onRuleResults(records));
  }

  async onApplicationShutdown(): Promise<void> {
    this.policy.stop();
    await this.kafka.stop();
    this.redis.disconnect();
  }
}
