import { z } from 'zod';
import { parsers, setting } from './config';

/**
 * Settings every Argus service shares. Defaults point at the local stack (`argus stack up`), so a developer
 * needs no variables; production overrides them all.
 */
export const commonSettings = {
  logLevel: setting({
    env: 'ARGUS_LOG_LEVEL',
    schema: parsers.logLevel,
    group: 'observability',
    description: 'Minimum log level',
    default: 'info',
  }),
  kafkaBrokers: setting({
    env: 'ARGUS_KAFKA_BROKERS',
    schema: parsers.csv,
    group: 'kafka',
    description: 'Comma-separated bootstrap brokers',
    default: '127.0.0.1:19092',
  }),
  schemaRegistryUrl: setting({
    env: 'ARGUS_SCHEMA_REGISTRY_URL',
    schema: parsers.url,
    group: 'kafka',
    description: 'Confluent-compatible schema registry base URL',
    default: 'http://127.0.0.1:18081/apis/ccompat/v7',
  }),
  instanceId: setting({
    env: 'ARGUS_INSTANCE_ID',
    schema: z.string().min(1).max(64),
    group: 'runtime',
    description: 'Unique name of this process (pod name in Kubernetes); used in client ids',
    default: 'local',
  }),
};

export const redisSettings = {
  redisUrl: setting({
    env: 'ARGUS_REDIS_URL',
    schema: parsers.url,
    group: 'redis',
    description: 'Redis URL',
    default: 'redis://127.0.0.1:16379',
  }),
};

export const postgresSettings = {
  postgresUrl: setting({
    env: 'ARGUS_PG_URL',
    schema: parsers.url,
    group: 'postgres',
    description: 'PostgreSQL URL (carries the password)',
    default: 'postgres://argus:argus@127.0.0.1:15432/argus',
    secret: true,
  }),
};

export const httpSettings = {
  httpPort: setting({
    env: 'ARGUS_HTTP_PORT',
    schema: parsers.int(0, 65535),
    group: 'http',
    description: 'Port of the service HTTP endpoint (health, metrics, API)',
    default: '0',
  }),
  httpHost: setting({
    env: 'ARGUS_HTTP_HOST',
    schema: z.string().min(1),
    group: 'http',
    description: 'Interface the HTTP endpoint binds',
    default: '127.0.0.1',
  }),
};
