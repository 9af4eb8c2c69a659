import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { scoringOptions, stateTuning } from '@argus/config';
import { parsePolicy, type DecisionPolicy } from '@argus/decision';
import { ModelCatalog, scoreWithCatalog } from '@argus/decisioning';
import { RedisFeatureState } from '@argus/feature-state';
import { FEATURE_SCHEMA_HASH } from '@argus/features';
import { KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { ModelRegistry } from '@argus/model-registry';
import type { PgPool } from '@argus/pg';
import { IdempotencyGuard, type RedisClient } from '@argus/redis';
import { parseRuleSet, type RuleSet } from '@argus/rules';
import {
  coreProviders,
  HealthController,
  kafkaRuntimeProvider,
  LOGGER,
  PG_POOL,
  pgPoolProvider,
  READINESS_CHECKS,
  REDIS,
  redisProvider,
  SERVICE_CONFIG,
  WatchedFile,
  type ReadinessCheck,
} from '@argus/service-kit';
import { currencyExponent, maskPans, PanTokeniser } from '@argus/transaction';
import { parseApiClients, type ApiClients } from './api-clients.parser';
import { ClientAuthGuard, CLIENTS_FILE } from './client-auth.guard';
import { DecisionStore } from './decision.store';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import type { GatewayConfig } from './gateway.config';
import { GatewayErrorFilter } from './gateway-error.filter';
import { OpenApiController } from './openapi.controller';
import { PublishBuffer } from './publish.buffer';
import { StepUpController } from './step-up.controller';
import { StepUpService } from './step-up.service';
import { ClientRateLimiter } from './token-bucket.limiter';

const SERVICE = 'gateway';
const RULES_FILE = Symbol('RULES_FILE');
const POLICY_FILE = Symbol('POLICY_FILE');
/** Within Kubernetes' 30 s termination grace, after the HTTP server has stopped taking requests. */
const SHUTDOWN_FLUSH_MS = 20_000;

@Module({
  controllers: [DecisionsController, StepUpController, OpenApiController, HealthController],
  providers: [
    redisProvider(SERVICE),
    kafkaRuntimeProvider(SERVICE, maskPans),
    pgPoolProvider(SERVICE, 2),
    { provide: ModelRegistry, inject: [PG_POOL], useFactory: (pool: PgPool) => new ModelRegistry(pool) },
    {
      provide: ModelCatalog,
      inject: [ModelRegistry, LOGGER],
      useFactory: (registry: ModelRegistry, logger: Logger) => new ModelCatalog(registry, FEATURE_SCHEMA_HASH, logger),
    },
    {
      provide: RULES_FILE,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new WatchedFile<RuleSet>(config.rulesFile, parseRuleSet, (ruleSet) => ruleSet.version, logger),
    },
    {
      provide: POLICY_FILE,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new WatchedFile<DecisionPolicy>(config.policyFile, parsePolicy, (policy) => policy.policyVersion, logger),
    },
    {
      provide: CLIENTS_FILE,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new WatchedFile<ApiClients>(
          config.clientsFile,
          parseApiClients,
          (file) => `${file.version} [${file.clients.map((client) => client.id).join(', ')}]`,
          logger,
        ),
    },
    { provide: ClientRateLimiter, useFactory: () => new ClientRateLimiter() },
    ClientAuthGuard,
    { provide: APP_FILTER, useClass: GatewayErrorFilter },
    {
      provide: PublishBuffer,
      inject: [SERVICE_CONFIG, KafkaRuntime, LOGGER],
      useFactory: (config: GatewayConfig, kafka: KafkaRuntime, logger: Logger) =>
        new PublishBuffer(
          kafka.producer,
          { capacity: config.publishQueueMax, lingerMs: config.publishLingerMs },
          logger.child({ component: 'publish-buffer' }),
        ),
    },
    {
      provide: DecisionStore,
      inject: [SERVICE_CONFIG, REDIS],
      useFactory: (config: GatewayConfig, redis: RedisClient) =>
        new DecisionStore(redis, config.decisionTtlHours * 3600, config.redisTimeoutMs),
    },
    {
      provide: DecisionsService,
      inject: [
        SERVICE_CONFIG,
        REDIS,
        KafkaRuntime,
        ModelCatalog,
        RULES_FILE,
        POLICY_FILE,
        DecisionStore,
        PublishBuffer,
        LOGGER,
      ],
      useFactory: (
        config: GatewayConfig,
        redis: RedisClient,
        kafka: KafkaRuntime,
        catalog: ModelCatalog,
        ruleSet: WatchedFile<RuleSet>,
        policy: WatchedFile<DecisionPolicy>,
        store: DecisionStore,
        buffer: PublishBuffer,
        logger: Logger,
      ) => {
        const options = scoringOptions(config);
        return new DecisionsService({
          tokeniser: new PanTokeniser({ keyId: config.panTokenKeyId, key: Buffer.from(config.panTokenKey, 'utf8') }),
          maxAmountMajor: config.maxAmountMajor,
          pipeline: {
            // The feature service's state and settings: the same Redis keys, windows and de-duplication.
            state: new RedisFeatureState(redis, stateTuning(config)),
            features: { currencyExponent, stateTimeoutMs: config.stateTimeoutMs },
            ruleSet: () => ruleSet.value,
            policy: () => policy.value,
            score: (vectors) => scoreWithCatalog(catalog, vectors, options),
            scoreTimeoutMs: config.scoreTimeoutMs,
          },
          store,
          decided: new IdempotencyGuard(redis, 'argus:combiner:decided', config.decisionMemoryHours * 3600),
          redisTimeoutMs: config.redisTimeoutMs,
          maxInFlight: config.maxInFlight,
          // Long enough for a request of the same transaction still in flight to finish.
          inFlightWaitMs: config.stateTimeoutMs + config.scoreTimeoutMs + 2 * config.redisTimeoutMs + 100,
          buffer,
          serde: kafka.serde,
          logger,
        });
      },
    },
    {
      provide: StepUpService,
      inject: [KafkaRuntime, DecisionStore, PublishBuffer, LOGGER],
      useFactory: (kafka: KafkaRuntime, store: DecisionStore, buffer: PublishBuffer, logger: Logger) =>
        new StepUpService(store, buffer, kafka.serde, logger),
    },
    {
      provide: READINESS_CHECKS,
      inject: [REDIS, PG_POOL, PublishBuffer],
      useFactory: (redis: RedisClient, pool: PgPool, buffer: PublishBuffer): ReadinessCheck[] => [
        { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
        { name: 'postgres', check: async () => (await pool.query('health', 'select 1')).rowCount === 1 },
        // Kafka: sends have not been failing for long, and the queue has room for more decisions.
        { name: 'kafka', check: () => buffer.healthy },
        { name: 'publish-queue', check: () => !buffer.full },
      ],
    },
  ],
})
export class GatewayModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private poll: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(PG_POOL) private readonly pool: PgPool,
    @Inject(ModelRegistry) private readonly registry: ModelRegistry,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(RULES_FILE) private readonly ruleSet: WatchedFile<RuleSet>,
    @Inject(POLICY_FILE) private readonly policy: WatchedFile<DecisionPolicy>,
    @Inject(CLIENTS_FILE) private readonly clients: WatchedFile<ApiClients>,
    @Inject(PublishBuffer) private readonly buffer: PublishBuffer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Configuration and logger are made once, in main.ts, and handed in. */
  static withConfig(config: GatewayConfig, logger: Logger): DynamicModule {
    return { module: GatewayModule, providers: coreProviders(config, logger) };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.ruleSet.startWatching();
    this.policy.startWatching();
    this.clients.startWatching();
    await this.redis.connect();
    await this.registry.migrate();
    await this.catalog.refresh();
    this.poll = setInterval(() => void this.catalog.refresh(), this.config.modelPollMs);
    this.poll.unref();
    // The gateway publishes decisions and step-up outcomes only. Never transactions.normalized or later
    // topics: the async services would then decide the same transaction a second time.
    await this.kafka.start(['decisions', 'stepUpResults', 'labels']);
  }

  /** Runs after the HTTP server has closed: nothing new arrives while the queue is flushed. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.poll);
    this.ruleSet.stop();
    this.policy.stop();
    this.clients.stop();
    const { unsent } = await this.buffer.close(SHUTDOWN_FLUSH_MS);
    if (unsent === 0) this.logger.info('publish queue flushed');
    await this.kafka.stop();
    await this.catalog.close();
    this.redis.disconnect();
    await this.pool.end();
  }
}
