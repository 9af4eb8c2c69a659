import type { FeatureVector, RuleResult } from '@argus/contracts';
import { buildRuleContext, evaluate, type RuleSet } from '@argus/rules';

/**
 * The transaction-phase rules on one feature vector (what runs in parallel with scoring). Missing features
 * (NaN) are absent from `features`, so a rule guarded with `has()` does not fire on them. The vector's
 * degradation (e.g. STATE_UNAVAILABLE) rides on the result to the decision.
 */
export function evaluateTransactionRules(ruleSet: RuleSet, vector: FeatureVector, now: number): RuleResult {
  const started = process.hrtime.bigint();
  const features: Record<string, number> = {};
  vector.names.forEach((name, i) => {
    const value = vector.values[i]!;
    if (!Number.isNaN(value)) features[name] = value;
  });
  const evaluation = evaluate(ruleSet, buildRuleContext(vector.transaction, { features }), 'transaction');
  return {
    transaction: vector.transaction,
    rule_set_version: ruleSet.version,
    hits: evaluation.hits,
    rule_errors: evaluation.errors,
    evaluated_at: now,
    evaluation_us: Number((process.hrtime.bigint() - started) / 1000n),
    degraded: vector.degraded.filter((code) => code !== 'REDELIVERY'),
  };
}
