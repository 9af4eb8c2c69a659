import type {
  Decision,
  FeatureStateStore,
  FeatureVector,
  NormalizedTransaction,
  RuleResult,
  Score,
} from '@argus/contracts';
import { DegradedCode, type DecisionPolicy } from '@argus/decision';
import type { RuleSet } from '@argus/rules';
import { combine, type MissingScore } from './combine.stage';
import type { CatalogScoring } from './catalog.scorer';
import { computeFeatureVectors, type FeatureStageOptions } from './feature.stage';
import { evaluateTransactionRules } from './rules.stage';

export interface InProcessDecisionDeps {
  readonly state: FeatureStateStore;
  readonly features: FeatureStageOptions;
  /** The rule set and policy in force now (hot-reloaded files). */
  readonly ruleSet: () => RuleSet;
  readonly policy: () => DecisionPolicy;
  readonly score: (vectors: readonly FeatureVector[]) => Promise<CatalogScoring>;
  /** A score slower than this (ms) is not waited for: the rules decide, and the decision says SCORE_TIMEOUT. */
  readonly scoreTimeoutMs: number;
  readonly now?: () => number;
}

export interface InProcessDecision {
  readonly decision: Decision;
  readonly vector: FeatureVector;
  readonly ruleResult: RuleResult;
  readonly score: Score | null;
  /** Why the features were computed without state, or null. */
  readonly stateError: Error | null;
  readonly stageMs: { readonly features: number; readonly rules_and_score: number; readonly total: number };
}

/**
 * The whole decision for one transaction in this process: features → [transaction rules ∥ model score] →
 * score rules and policy. The stages are the ones the async services run (the same functions), which is
 * what makes the gateway and the Kafka path decide alike.
 */
export async function decideInProcess(
  deps: InProcessDecisionDeps,
  transaction: NormalizedTransaction,
): Promise<InProcessDecision> {
  const now = deps.now ?? Date.now;
  const started = performance.now();
  const { vectors, stateError } = await computeFeatureVectors(deps.state, [transaction], deps.features, now);
  const vector = vectors[0]!;
  const featuresDone = performance.now();

  // One rule set for both phases, read once: a reload in the middle must not split a decision across versions.
  const ruleSet = deps.ruleSet();
  // Inference runs off the main thread (onnxruntime) while the rules run on it.
  const scoring = scoreWithin(deps, vector);
  const ruleResult = evaluateTransactionRules(ruleSet, vector, now());
  const { score, missing } = await scoring;
  const scored = performance.now();

  const decision = combine({
    policy: deps.policy(),
    ruleSet,
    ruleResult,
    score,
    ...(missing === undefined ? {} : { missing }),
    // The vector is at hand here, so a REVIEW or BLOCK carries it even when the score did not come.
    featureValues: { schema_hash: vector.schema_hash, values: vector.values },
    now: now(),
  });
  const done = performance.now();
  return {
    decision,
    vector,
    ruleResult,
    score,
    stateError,
    stageMs: { features: featuresDone - started, rules_and_score: scored - featuresDone, total: done - started },
  };
}

async function scoreWithin(
  deps: InProcessDecisionDeps,
  vector: FeatureVector,
): Promise<{ score: Score | null; missing?: MissingScore }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deps.scoreTimeoutMs);
  });
  try {
    const result = await Promise.race([deps.score([vector]), timeout]);
    if (result === 'timeout') return { score: null, missing: DegradedCode.SCORE_TIMEOUT };
    const score = result.scores[0];
    // A vector the champion refuses (another feature schema) is a model that cannot serve it.
    return score === undefined ? { score: null, missing: DegradedCode.MODEL_UNAVAILABLE } : { score };
  } catch {
    return { score: null, missing: DegradedCode.MODEL_UNAVAILABLE };
  } finally {
    clearTimeout(timer);
  }
}
