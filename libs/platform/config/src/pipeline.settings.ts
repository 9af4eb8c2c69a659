import { z } from 'zod';
import { parsers, setting } from './config';

/**
 * Settings of the decision pipeline that more than one service reads: the async services each run one stage,
 * the gateway runs them all in one process. One definition each, so the two paths cannot drift apart on a
 * default (a different token key or amount limit would make the same card or payment look different).
 */

/** Card tokenisation and the amount limit of intake (ingestion, gateway). */
export const intakeSettings = {
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
  maxAmountMajor: setting({
    env: 'ARGUS_MAX_AMOUNT_MAJOR',
    schema: parsers.int(1, 1_000_000_000),
    group: 'ingestion',
    description: 'Largest accepted amount, in major units of any currency',
    default: '1000000',
  }),
};

/** The rule set file (rules, gateway). */
export const ruleSetSettings = {
  rulesFile: setting({
    env: 'ARGUS_RULES_FILE',
    schema: z.string().min(1),
    group: 'rules',
    description: 'YAML rule set; re-read when it changes, a bad version is refused',
    default: 'deploy/config/rules/default.yaml',
  }),
};

/** The decision policy and how long a decided transaction is remembered (decision-combiner, gateway). */
export const decisionSettings = {
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

/** Lowest score of each risk tier above LOW; the same shape as `@argus/scoring`'s RiskTierThresholds. */
export interface RiskTierSettings {
  readonly medium: number;
  readonly high: number;
  readonly critical: number;
}

/** How the champion model is served and explained (scoring, gateway). */
export const modelScoringSettings = {
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
  explainMinScore: setting({
    env: 'ARGUS_SCORING_EXPLAIN_MIN_SCORE',
    schema: parsers.int(0, 100),
    group: 'scoring',
    description:
      'Explain (TreeSHAP) only scores at or above this; 0 explains every score. Explanations cost ~20x the inference, and analysts read them on REVIEW and BLOCK',
    default: '50',
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
      .transform(([medium, high, critical]): RiskTierSettings => ({ medium, high, critical }))
      // The rule of @argus/scoring's validRiskTiers, which this platform library may not import; the
      // gateway's config spec checks that the two agree.
      .refine(
        (t) => 0 < t.medium && t.medium < t.high && t.high < t.critical && t.critical <= 100,
        'three rising scores in 1–100: MEDIUM,HIGH,CRITICAL',
      ),
    group: 'scoring',
    description: 'Lowest score of the MEDIUM, HIGH and CRITICAL tiers',
    default: '50,75,90',
  }),
};

/** The scoring options (`@argus/scoring`'s ScoringOptions) from the model-scoring settings. */
export function scoringOptions(config: {
  readonly explain: boolean;
  readonly explainMinScore: number;
  readonly topK: number;
  readonly riskTiers: RiskTierSettings;
}): { explain: boolean; explainMinScore: number; topK: number; tiers: RiskTierSettings } {
  return {
    explain: config.explain,
    explainMinScore: config.explainMinScore,
    topK: config.topK,
    tiers: config.riskTiers,
  };
}
