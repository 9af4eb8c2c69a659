import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AuditStore } from '@argus/audit-store';
import { TokenSigner } from '@argus/auth';
import { parseCasePolicy, type CasePolicy } from '@argus/case';
import { CaseStore } from '@argus/case-store';
import { CaseIntakeService, CaseWorkService } from '@argus/cases';
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
  SERVICE_CONFIG,
  WatchedFile,
} from '@argus/service-kit';
import { maskPans } from '@argus/transaction';
import { WebhookClient } from '@argus/webhook';
import { AuthController } from './api/auth.controller';
import { CasesController } from './api/cases.controller';
import { DashboardController } from './api/dashboard.controller';
import { OpenApiController, OpenApiDocumentHolder } from './api/openapi.controller';
import { CaseIntakeController } from './case-intake.controller';
import type { CaseConfig } from './case.config';
import { CASE_POLICY } from './case.tokens';
import { NotificationRelay } from './notification.relay';
import { OutboxRelay } from './outbox.relay';

const SERVICE = 'case';

/** Every topic the service reads or writes: its schemas are registered before anything flows. */
export const CASE_TOPICS = ['decisions', 'labels', 'stepUpResults', 'caseEvents'] as const;

@Module({
  controllers: [
    HealthController,
    OpenApiController,
    AuthController,
    CasesController,
    DashboardController,
    CaseIntakeController,
  ],
  providers: [
    OpenApiDocumentHolder,
    {
      provide: TokenSigner,
      inject: [SERVICE_CONFIG],
      useFactory: (config: CaseConfig) =>
        new TokenSigner(config.tokenSecret, 'argus-case', config.tokenTtlMinutes * 60),
    },
    kafkaRuntimeProvider(SERVICE, maskPans),
    pgPoolProvider(SERVICE),
    { provide: CaseStore, inject: [PG_POOL], useFactory: (pool: PgPool) => new CaseStore(pool) },
    // Read only: the card's and customer's decisions and the linked cards of a case file.
    { provide: AuditStore, inject: [PG_POOL], useFactory: (pool: PgPool) => new AuditStore(pool) },
    {
      provide: CASE_POLICY,
      inject: [SERVICE_CONFIG, LOGGER],
      useFactory: (config: CaseConfig, logger: Logger) =>
        new WatchedFile<CasePolicy>(config.casePolicyFile, parseCasePolicy, (policy) => policy.version, logger),
    },
    {
      provide: CaseIntakeService,
      inject: [CaseStore, CASE_POLICY, SERVICE_CONFIG],
      useFactory: (store: CaseStore, policy: WatchedFile<CasePolicy>, config: CaseConfig) =>
        new CaseIntakeService(store, () => policy.value, Date.now, config.alertWebhookUrl !== ''),
    },
    {
      provide: NotificationRelay,
      inject: [CaseStore, CaseIntakeService, SERVICE_CONFIG, LOGGER],
      useFactory: (store: CaseStore, intake: CaseIntakeService, config: CaseConfig, logger: Logger) =>
        config.alertWebhookUrl === ''
          ? null
          : new NotificationRelay(
              store,
              intake,
              new WebhookClient(config.alertWebhookUrl),
              config.notificationIntervalMs,
              logger,
            ),
    },
    {
      provide: CaseWorkService,
      inject: [CaseStore, AuditStore, CASE_POLICY],
      useFactory: (store: CaseStore, audit: AuditStore, policy: WatchedFile<CasePolicy>) =>
        new CaseWorkService(store, audit, () => policy.value),
    },
    {
      provide: OutboxRelay,
      inject: [CaseStore, KafkaRuntime, SERVICE_CONFIG, LOGGER],
      useFactory: (store: CaseStore, kafka: KafkaRuntime, config: CaseConfig, logger: Logger) =>
        new OutboxRelay(store, kafka.producer, config.outboxIntervalMs, logger),
    },
    pgReadinessProvider(),
  ],
})
export class CaseModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaRuntime) private readonly kafka: KafkaRuntime,
    @Inject(CaseStore) private readonly store: CaseStore,
    @Inject(CASE_POLICY) private readonly policy: WatchedFile<CasePolicy>,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(NotificationRelay) private readonly notifications: NotificationRelay | null,
    @Inject(PG_POOL) private readonly pool: PgPool,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static withConfig(config: CaseConfig, logger: Logger): DynamicModule {
    return { module: CaseModule, providers: coreProviders(config, logger) };
  }

  /** Before the transport's consumers start (main.ts starts them after the app is up). */
  async onApplicationBootstrap(): Promise<void> {
    await this.store.migrate();
    await this.kafka.start(CASE_TOPICS);
    this.policy.startWatching();
    this.relay.start();
    if (this.notifications === null) this.logger.info('no ARGUS_CASE_ALERT_WEBHOOK_URL: chat notifications are off');
    else this.notifications.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.policy.stop();
    await this.kafka.stop();
    await this.relay.stop();
    await this.notifications?.stop();
    await this.pool.end();
  }
}
