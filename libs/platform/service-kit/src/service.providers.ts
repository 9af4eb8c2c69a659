import type { commonSettings, ConfigOf } from '@argus/config';
import { KafkaRuntime, type ByteMasker } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { createPgPool, type PgPool } from '@argus/pg';
import { createRedis, type RedisClient } from '@argus/redis';
import type { Provider } from '@nestjs/common';
import { READINESS_CHECKS, type ReadinessCheck } from './health.controller';

/** Injection tokens shared by every service module. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const REDIS = Symbol('REDIS');
export const PG_POOL = Symbol('PG_POOL');

type CommonConfig = ConfigOf<typeof commonSettings>;

/** The configuration and logger, made once in main.ts, as providers. */
export function coreProviders(config: CommonConfig, logger: Logger): Provider[] {
  return [
    { provide: SERVICE_CONFIG, useValue: config },
    { provide: LOGGER, useValue: logger },
  ];
}

/** The service's KafkaRuntime (client, serde, producer, DLQ), built from the common settings. */
export function kafkaRuntimeProvider(service: string, mask: ByteMasker): Provider {
  return {
    provide: KafkaRuntime,
    inject: [SERVICE_CONFIG, LOGGER],
    useFactory: (config: CommonConfig, logger: Logger) =>
      new KafkaRuntime({
        brokers: config.kafkaBrokers,
        schemaRegistryUrl: config.schemaRegistryUrl,
        service,
        instanceId: config.instanceId,
        logger,
        mask,
      }),
  };
}

export function redisProvider(service: string): Provider {
  return {
    provide: REDIS,
    inject: [SERVICE_CONFIG, LOGGER],
    useFactory: (config: { redisUrl: string }, logger: Logger) => createRedis(config.redisUrl, logger, service),
  };
}

/** Readiness of a service whose only dependency to check is Redis (REDIS from redisProvider). */
export function redisReadinessProvider(): Provider {
  return {
    provide: READINESS_CHECKS,
    inject: [REDIS],
    useFactory: (redis: RedisClient): ReadinessCheck[] => [
      { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
    ],
  };
}

/** The service's PostgreSQL pool (PG_POOL), from `postgresUrl`; the module ends it on shutdown. */
export function pgPoolProvider(service: string, max = 10): Provider {
  return {
    provide: PG_POOL,
    inject: [SERVICE_CONFIG],
    useFactory: (config: { postgresUrl: string }) =>
      createPgPool({ url: config.postgresUrl, applicationName: `argus-${service}`, max }),
  };
}

/** Readiness of a service whose only dependency to check is PostgreSQL (PG_POOL from pgPoolProvider). */
export function pgReadinessProvider(): Provider {
  return {
    provide: READINESS_CHECKS,
    inject: [PG_POOL],
    useFactory: (pool: PgPool): ReadinessCheck[] => [
      { name: 'postgres', check: async () => (await pool.query('health', 'select 1')).rowCount === 1 },
    ],
  };
}
