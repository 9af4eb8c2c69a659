import {
  commonSettings,
  httpSettings,
  intakeSettings,
  loadConfig,
  parsers,
  redisSettings,
  setting,
  type ConfigOf,
} from '@argus/config';

export const ingestionSettings = {
  ...commonSettings,
  ...redisSettings,
  ...httpSettings,
  ...intakeSettings,
  dedupTtlHours: setting({
    env: 'ARGUS_DEDUP_TTL_HOURS',
    schema: parsers.int(1, 24 * 90),
    group: 'ingestion',
    description: 'How long a transaction id is remembered for duplicate detection',
    default: String(24 * 7),
  }),
  dedupTimeoutMs: setting({
    env: 'ARGUS_DEDUP_TIMEOUT_MS',
    schema: parsers.int(1, 60_000),
    group: 'ingestion',
    description:
      'How long duplicate detection may wait for a connected but unanswering Redis (ms); past it, or at once when Redis is not connected, transactions go on without it (fail open, logged)',
    default: '1000',
  }),
};

export type IngestionConfig = ConfigOf<typeof ingestionSettings>;

export function loadIngestionConfig(): IngestionConfig {
  return loadConfig(ingestionSettings);
}
