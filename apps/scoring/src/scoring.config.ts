import {
  commonSettings,
  httpSettings,
  loadConfig,
  parsers,
  postgresSettings,
  setting,
  type ConfigOf,
} from '@argus/config';
import { validRiskTiers, type RiskTierThresholds } from '@argus/scoring';
import { z } from 'zod';

export const scoringSettings = {
  ...commonSettings,
  ...postgresSettings,
  ...httpSettings,
  modelPollMs: setting({
    env: 'ARGUS_MODEL_POLL_MS',
    schema: parsers.int(100, 600_000),
    group: 'scoring',
    description: 'How often the model registry is checked for a new champion or shadow (ms)',
    default: '2000',
  }),
  explain: setting({
    env: 'ARGUS_SCORING_EXPLAIN',
    schema: parsers.bool,
    group: 'scoring',
    description: "Compute the champion's top contributions (TreeSHAP) for every score",
    default: 'true',
  }),
  topK: setting({
    env: 'ARGUS_SCORING_TOP_K',
    schema: parsers.int(1, 20),
    group: 'scoring',
    description: 'How many contributions each score carries',
    default: '5',
  }),
  riskTiers: setting({
    env: 'ARGUS_RISK_TIERS',
    schema: z
      .string()
      .transform((text) => text.split(',').map((part) => Number(part.trim())))
      .pipe(z.tuple([z.number().int(), z.number().int(), z.number().int()]))
      .transform(([medium, high, critical]): RiskTierThresholds => ({ medium, high, critical }))
      .refine(validRiskTiers, 'three rising scores in 1–100: MEDIUM,HIGH,CRITICAL'),
    group: 'scoring',
    description: 'Lowest score of the MEDIUM, HIGH and CRITICAL tiers',
    default: '50,75,90',
  }),
};

export type ScoringConfig = ConfigOf<typeof scoringSettings>;

export function loadScoringConfig(): ScoringConfig {
  return loadConfig(scoringSettings);
}
