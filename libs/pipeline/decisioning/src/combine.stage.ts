import type { Decision, FeatureValue, RuleResult, Score, ScoredFeatures } from '@argus/contracts';
import { decide, DegradedCode, type DecisionPolicy, type ModelScore } from '@argus/decision';
import { describeFeature, FEATURE_NAMES, FEATURE_SCHEMA_HASH } from '@argus/features';
import { buildRuleContext, evaluate, type RuleSet } from '@argus/rules';

/** Why there is no score, when there is none. */
export type MissingScore = typeof DegradedCode.SCORE_TIMEOUT | typeof DegradedCode.MODEL_UNAVAILABLE;

export interface CombineInput {
  readonly policy: DecisionPolicy;
  /** The rule set whose score-phase rules run now (the one in force here). */
  readonly ruleSet: RuleSet;
  readonly ruleResult: RuleResult;
  /** The model's score; null when it is missing, and `missing` says why. A NO_MODEL score counts as missing. */
  readonly score: Score | null;
  readonly missing?: MissingScore;
  /**
   * The feature values the decision was made on, for a REVIEW or BLOCK decision's case file: the gateway has
   * the vector itself (even when its score timed out); the async combiner has the score's `feature_values`,
   * which is the default when this is left out.
   */
  readonly featureValues?: ScoredFeatures | null;
  /** Decision time (epoch ms), passed in so the same inputs give the same decision. */
  readonly now: number;
}

/**
 * One decision from a transaction's rule results and its score: the score-phase rules run on the score, then
 * the policy decides. The async combiner and the sync gateway both call this, so they decide alike.
 *
 * The score the score-phase rules see is the one the policy will use: none when the model was missing, and
 * none when features were computed without state and the policy sets such scores aside.
 */
export function combine(input: CombineInput): Decision {
  const { ruleResult, ruleSet, policy } = input;
  const degraded = [...ruleResult.degraded];
  let score: ModelScore | null = null;
  if (input.score !== null && input.score.status === 'SCORED') {
    score = {
      score: input.score.score,
      probability: input.score.probability,
      model_version: input.score.model_version,
      risk_tier: input.score.risk_tier,
      contributions: input.score.contributions,
    };
  } else {
    degraded.unshift(
      input.score?.status === 'NO_MODEL'
        ? DegradedCode.MODEL_UNAVAILABLE
        : (input.missing ?? DegradedCode.SCORE_TIMEOUT),
    );
  }
  const setAside =
    degraded.includes(DegradedCode.STATE_UNAVAILABLE) && policy.fallback.features_unavailable !== 'use_score';
  const ruleScore = score === null || setAside ? null : score.score;
  const scoreRules = evaluate(ruleSet, buildRuleContext(ruleResult.transaction, { score: ruleScore }), 'score');
  const decision = decide(policy, {
    transaction: ruleResult.transaction,
    ruleSetVersion:
      ruleSet.version === ruleResult.rule_set_version
        ? ruleSet.version
        : // The rules service and this process held different versions for a moment (a reload in between).
          `${ruleResult.rule_set_version}+score-rules:${ruleSet.version}`,
    hits: [...ruleResult.hits, ...scoreRules.hits],
    ruleErrors: [...ruleResult.rule_errors, ...scoreRules.errors],
    score,
    degraded,
    now: input.now,
    // Factors in an analyst's words: "no terminal on this payment", not "terminal_amount_7d = NaN".
    describeFactor: describeFeature,
  });
  // APPROVE carries no vector: it is the bulk of `decisions`, and no analyst reads it.
  if (decision.outcome === 'APPROVE') return decision;
  return {
    ...decision,
    features: namedFeatures(
      input.featureValues !== undefined ? input.featureValues : (input.score?.feature_values ?? null),
    ),
  };
}

/**
 * The vector's values with their names from the feature catalog, a missing value (NaN, or anything JSON cannot
 * carry) as null. Null when there is no vector, or when it was computed on another feature schema than this
 * process's catalog (a rollout in between): values under names they may not have would mislead the analyst.
 */
export function namedFeatures(values: ScoredFeatures | null): FeatureValue[] | null {
  if (values === null || values.schema_hash !== FEATURE_SCHEMA_HASH) return null;
  if (values.values.length !== FEATURE_NAMES.length) return null;
  return FEATURE_NAMES.map((name, i) => {
    const value = values.values[i]!;
    return { name, value: Number.isFinite(value) ? value : null };
  });
}
