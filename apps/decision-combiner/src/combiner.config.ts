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

export const combinerSettings = {
  ...commonSettings,
  ...redisSettings,
  ...httpSettings,
  policyFile: setting({
    env: 'ARGUS_POLICY_FILE',
    schema: z.string().min(1),
    group: 'decision',
    description: 'YAML decision policy; re-read when it changes, a bad version is refused',
    default: 'deploy/config/policy/default.yaml',
  }),
  rulesFile: setting({
    env: 'ARGUS_RULES_FILE',
    schema: z.string().min(1),
    group: 'decision',
    description: 'YAML rule set whose score-phase rules run here, once the score is known (the rules service runs the rest)',
    default: 'deploy/config/rules/default.yaml',
  }),
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
      'How long the decided-once check may wait for Redis (ms); past it the decision is published without it (fail open)',
    default: '100',
  }),
  decisionMemoryHours: setting({
    env: 'ARGUS_DECISION_MEMORY_HOURS',
    schema: parsers.int(1, 24 * 90),
    group: 'decision',
    description: 'How long a decided transaction id is remembered, so it is never decided twice',
    default: String(24 * 7),
  }),
};

export type CombinerConfig = ConfigOf<typeof combinerSettings>;

export function loadCombinerConfig(): CombinerConfig {
  return loadConfig(combinerSettings);
}
