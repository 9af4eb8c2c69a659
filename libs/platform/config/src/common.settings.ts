import type { StateTuning } from '@argus/contracts';
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
    schema: parsers.redisUrl,
    group: 'redis',
    description:
      'Redis: redis://host:port for one server, redis+cluster://host:port,host:port,… (seed nodes) for a Redis Cluster',
    default: 'redis://127.0.0.1:16379',
  }),
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * How behavioural state is kept in Redis. Every process that computes features (the feature service, the
 * gateway) must run with the same values, or the same transaction would see different windows.
 */
export const featureStateSettings = {
  dedupMinutes: setting({
    env: 'ARGUS_FEATURE_DEDUP_MINUTES',
    schema: parsers.int(1, 24 * 60),
    group: 'features',
    description: 'How long each entity remembers the transaction ids it counted, so a redelivery is not counted twice',
    default: '60',
  }),
  outOfOrderMinutes: setting({
    env: 'ARGUS_FEATURE_OUT_OF_ORDER_MINUTES',
    schema: parsers.int(0, 24 * 60),
    group: 'features',
    description: 'How late (event time) a transaction may arrive and still see complete windows',
    default: '10',
  }),
  idleDays: setting({
    env: 'ARGUS_FEATURE_IDLE_DAYS',
    schema: parsers.int(31, 3650),
    group: 'features',
    description: 'An entity idle this long is forgotten (novelty, first seen and baselines start again)',
    default: '90',
  }),
  transactionIndexDays: setting({
    env: 'ARGUS_FEATURE_TXN_INDEX_DAYS',
    schema: parsers.int(1, 3650),
    group: 'features',
    description: 'How long a transaction is remembered so that a late FRAUD label finds its merchant, terminal, device',
    default: '120',
  }),
  stateTimeoutMs: setting({
    env: 'ARGUS_FEATURE_STATE_TIMEOUT_MS',
    schema: parsers.int(1, 60_000),
    group: 'features',
    description:
      'How long a feature-state round trip may take before features are computed from the transaction alone (STATE_UNAVAILABLE)',
    default: '250',
  }),
};

/** The state tuning from the feature-state settings. */
export function stateTuning(config: {
  dedupMinutes: number;
  outOfOrderMinutes: number;
  idleDays: number;
  transactionIndexDays: number;
}): StateTuning {
  return {
    dedupHorizonMs: config.dedupMinutes * MINUTE,
    outOfOrderToleranceMs: config.outOfOrderMinutes * MINUTE,
    idleTtlMs: config.idleDays * DAY,
    transactionIndexTtlMs: config.transactionIndexDays * DAY,
  };
}

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
