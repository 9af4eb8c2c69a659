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
