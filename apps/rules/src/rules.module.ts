import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { parseRuleSet, type RuleSet } from '@argus/rules';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  READINESS_CHECKS,
  SERVICE_CONFIG,
  WatchedFile,
} from '@argus/service-kit';
import { maskPans } from '@argus/transaction';
import type { RulesConfig } from './rules.config';
import { RulesService } from './rules.service';

const SERVICE = 'rules';

@Module({
  controllers: [HealthController],
  providers: [
    kafkaRuntimeProvider(SERVICE, maskPans),
    {
      provide: WatchedFile,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: RulesConfig, logger: Logger) =>
        new WatchedFile<RuleSet>(config.rulesFile, parseRuleSet, (ruleSet) => ruleSet.version, logger),
    },
    {
      provide: RulesService,
      inject: [KafkaRuntime, WatchedFile, LOGGER],
      useFactory: (kafka: KafkaRuntime, ruleSet: WatchedFile<RuleSet>, logger: Logger) =>
        new RulesService(kafka, ruleSet, logger),
    },
    { provide: READINESS_CHECKS, useValue: [] },
  ],
})
export class RulesModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(RulesService) private readonly rules: RulesService,
    @Inject(WatchedFile) private readonly ruleSet: WatchedFile<RuleSet>,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: RulesConfig, logger: Logger): DynamicModule {
    return { module: RulesModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.ruleSet.startWatching();
    await this.kafka.start(['transactionsFeatures', 'transactionsRuleResults']);
    await this.kafka
      .consumer({ groupId: 'argus-rules', topic: 'transactionsFeatures' })
      .start((records) => this.rules.onFeatures(records));
  }

  async onApplicationShutdown(): Promise<void> {
    this.ruleSet.stop();
    await this.kafka.stop();
  }
}
