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
import { IdempotencyGuard, type RedisClient } from '@argus/redis';
import { parseRuleSet, type RuleSet } from '@argus/rules';
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
import { CombinerController } from './combiner.controller';
import { CombinerService } from './combiner.service';

const SERVICE = 'decision-combiner';
const POLICY = Symbol('POLICY_FILE');
const RULES = Symbol('RULES_FILE');

@Module({
  controllers: [HealthController, CombinerController],
  providers: [
    redisProvider(SERVICE),
    kafkaRuntimeProvider(SERVICE, maskPans),
    {
      provide: POLICY,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: CombinerConfig, logger: Logger) =>
        new WatchedFile<DecisionPolicy>(config.policyFile, parsePolicy, (policy) => policy.version, logger),
    },
    {
      provide: RULES,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: CombinerConfig, logger: Logger) =>
        new WatchedFile<RuleSet>(config.rulesFile, parseRuleSet, (ruleSet) => ruleSet.version, logger),
    },
    {
      provide: CombinerService,
      inject: [SERVICE_CONFIG, KafkaRuntime, POLICY, RULES, REDIS, LOGGER],
      useFactory: (
        config: CombinerConfig,
        kafka: KafkaRuntime,
        policy: WatchedFile<DecisionPolicy>,
        ruleSet: WatchedFile<RuleSet>,
        redis: RedisClient,
        logger: Logger,
      ) =>
        new CombinerService(
          kafka,
          policy,
          ruleSet,
          new IdempotencyGuard(redis, 'argus:combiner:decided', config.decisionMemoryHours * 3600),
          { scoreWaitMs: config.scoreWaitMs, scoreTtlMs: config.scoreTtlMs, guardTimeoutMs: config.guardTimeoutMs },
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
    @Inject(POLICY) private readonly policy: WatchedFile<DecisionPolicy>,
    @Inject(RULES) private readonly ruleSet: WatchedFile<RuleSet>,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: CombinerConfig, logger: Logger): DynamicModule {
    return { module: CombinerModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.policy.startWatching();
    this.ruleSet.startWatching();
    await this.redis.connect();
    await this.kafka.start(['transactionsRuleResults', 'transactionsScores', 'decisions']);
    await this.kafka
      .joinedConsumer({
        groupId: 'argus-decision-combiner-join',
        topics: ['transactionsRuleResults', 'transactionsScores'],
        onRebalance: () => this.combiner.onRebalance(),
      })
      .start({
        transactionsRuleResults: (records, ack) => this.combiner.onRuleResults(records, ack),
        transactionsScores: (records, ack) => this.combiner.onScores(records, ack),
      });
  }

  async onApplicationShutdown(): Promise<void> {
    this.policy.stop();
    this.ruleSet.stop();
    await this.combiner.drain();
    await this.kafka.stop();
    this.redis.disconnect();
  }
}
