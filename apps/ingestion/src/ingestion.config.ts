import {
  commonSettings,
  httpSettings,
  loadConfig,
  parsers,
  redisSettings,
  setting,
  type ConfigOf,
} from '@argus/config';
import { z } from 'zod';

export const ingestionSettings = {
  ...commonSettings,
  ...redisSettings,
  ...httpSettings,
  panTokenKey: setting({
    env: 'ARGUS_PAN_TOKEN_KEY',
    schema: z.string().min(32, 'must be at least 32 characters'),
    group: 'security',
    description: 'HMAC key that turns card numbers into tokens (same key everywhere cards are tokenised)',
    secret: true,
  }),
  panTokenKeyId: setting({
    env: 'ARGUS_PAN_TOKEN_KEY_ID',
    schema: z.string().regex(/^[a-z0-9]{1,16}$/, 'must be 1–16 lower-case letters or digits'),
    group: 'security',
    description: 'Name of the token key, written into every token (rotate keys by changing both)',
    default: 'k1',
  }),
  dedupTtlHours: setting({
    env: 'ARGUS_DEDUP_TTL_HOURS',
    schema: parsers.int(1, 24 * 90),
    group: 'ingestion',
    description: 'How long a transaction id is remembered for duplicate detection',
    default: String(24 * 7),
  }),
  maxAmountMajor: setting({
    env: 'ARGUS_MAX_AMOUNT_MAJOR',
    schema: parsers.int(1, 1_000_000_000),
    group: 'ingestion',
    description: 'Largest accepted amount, in major units of any currency',
    default: '1000000',
  }),
};

export type IngestionConfig = ConfigOf<typeof ingestionSettings>;

export function loadIngestionConfig(): IngestionConfig {
  return loadConfig(ingestionSettings);
}
