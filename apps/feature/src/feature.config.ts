import {
  commonSettings,
  httpSettings,
  loadConfig,
  parsers,
  redisSettings,
  setting,
  type ConfigOf,
} from '@argus/config';
import type { StateTuning } from '@argus/contracts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const featureSettings = {
  ...commonSettings,
  ...redisSettings,
  ...httpSettings,
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
};

export type FeatureConfig = ConfigOf<typeof featureSettings>;

export function loadFeatureConfig(): FeatureConfig {
  return loadConfig(featureSettings);
}

export function stateTuning(config: FeatureConfig): StateTuning {
  return {
    dedupHorizonMs: config.dedupMinutes * MINUTE,
    outOfOrderToleranceMs: config.outOfOrderMinutes * MINUTE,
    idleTtlMs: config.idleDays * DAY,
    transactionIndexTtlMs: config.transactionIndexDays * DAY,
  };
}
