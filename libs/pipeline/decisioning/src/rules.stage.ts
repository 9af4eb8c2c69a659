import type { FeatureVector, RuleResult } from '@argus/contracts';
import { FEATURE_SCHEMA_HASH, featureNamesOf } from '@argus/features';
import { buildRuleContext, evaluate, type RuleSet } from '@argus/rules';

/**
 * The transaction-phase rules on one feature vector (what runs in parallel with scoring). Missing features
 * (NaN) are absent from `features`, so a rule guarded with `has()` does not fire on them. The vector's
 * degradation (e.g. STATE_UNAVAILABLE) rides on the result to the decision.
 */
export function evaluateTransactionRules(ruleSet: RuleSet, vector: FeatureVector, now: number): RuleResult {
  const started = process.hrtime.bigint();
  // A vector of this catalog is named by the catalog's own strings: the same string objects every time, whose
  // hashes V8 keeps, instead of freshly decoded ones to hash as keys (a tenth of the rules service's CPU in a
  // profile at 100/s when the vectors carried their names).
  const names = featureNamesOf(vector);
  const features: Record<string, number> = {};
  for (let i = 0; names !== null && i < names.length; i++) {
    const value = vector.values[i]!;
    if (!Number.isNaN(value)) features[names[i]!] = value;
  }
  const evaluation =
    names === null
      ? {
          hits: [],
          // Rules read features by name: without names every one would see "missing" and quietly not fire.
          errors: [
            {
              rule_id: UNNAMED_VECTOR,
              message: `feature vector of schema ${vector.schema_hash} carries no names and this build's catalog is ${FEATURE_SCHEMA_HASH}: no rule evaluated`,
            },
          ],
        }
      : evaluate(ruleSet, buildRuleContext(vector.transaction, { features }), 'transaction');
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

/** The rule error's `rule_id` when a vector cannot be named (a catalog this build does not know). */
export const UNNAMED_VECTOR = 'feature-vector';
