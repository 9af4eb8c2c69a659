import {
  commonSettings,
  decisionSettings,
  httpSettings,
  loadConfig,
  parsers,
  redisSettings,
  ruleSetSettings,
  setting,
  type ConfigOf,
} from '@argus/config';

export const combinerSettings = {
  ...commonSettings,
  ...redisSettings,
  ...httpSettings,
  ...ruleSetSettings,
  ...decisionSettings,
  scoreWaitMs: setting({
    env: 'ARGUS_SCORE_WAIT_MS',
    schema: parsers.int(1, 60_000),
    group: 'decision',
    description:
      'How long a rule result waits for its model score (ms); past it the rules decide alone and the decision says SCORE_TIMEOUT',
    default: '150',
  }),
  scoreTtlMs: setting({
    env: 'ARGUS_SCORE_TTL_MS',
    schema: parsers.int(1_000, 3_600_000),
    group: 'decision',
    description: 'How long a score waits for its rule result before it is dropped as orphaned (ms)',
    default: '30000',
  }),
  guardTimeoutMs: setting({
    env: 'ARGUS_DECIDED_GUARD_TIMEOUT_MS',
    schema: parsers.int(1, 60_000),
    group: 'decision',
    description:
      'How long the decided-once check may wait for a connected but unanswering Redis (ms); past it, or at once when Redis is not connected, the decision is published without it (fail open)',
    default: '1000',
  }),
};

export type CombinerConfig = ConfigOf<typeof combinerSettings>;

export function loadCombinerConfig(): CombinerConfig {
  return loadConfig(combinerSettings);
}
