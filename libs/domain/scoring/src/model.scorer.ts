import type { Contribution, FeatureVector, Score, ShadowScore } from '@argus/contracts';
import { calibrate } from './calibration';
import type { ModelMetadata } from './model-metadata';
import { riskTier, scoreFromProbability, DEFAULT_RISK_TIERS, type RiskTierThresholds } from './score.scale';

/** A classifier runtime (the ONNX session): fraud probability of each row of a row-major float32 matrix. */
export interface Classifier {
  predict(rows: Float32Array, count: number, width: number): Promise<Float32Array>;
}

/** Explanations from the tree structure (TreeSHAP): the top contributions to the margin of one row. */
export interface Explainer {
  top(row: Float64Array, k: number): Contribution[];
}

/** A model ready to serve: its registry version, its metadata, its runtime and (optionally) its explainer. */
export interface ServableModel {
  readonly version: string;
  readonly metadata: ModelMetadata;
  readonly classifier: Classifier;
  readonly explainer: Explainer | null;
}

export interface ScoringOptions {
  /** Compute the top contributions (TreeSHAP) of the champion's score. */
  readonly explain: boolean;
  /**
   * Explain only scores at or above this (0: every score). Explanations cost ~20× the inference; the
   * analyst reads them on REVIEW and BLOCK, which low scores do not reach through the model.
   */
  readonly explainMinScore: number;
  readonly topK: number;
  readonly tiers: RiskTierThresholds;
}

export const DEFAULT_SCORING_OPTIONS: ScoringOptions = Object.freeze({
  explain: true,
  explainMinScore: 0,
  topK: 5,
  tiers: DEFAULT_RISK_TIERS,
});

/** Why a vector got no score. */
export interface Unscored {
  readonly vector: FeatureVector;
  readonly reason: 'SCHEMA_MISMATCH';
  readonly message: string;
}

export interface ScoredBatch {
  readonly scores: Score[];
  readonly unscored: Unscored[];
  /** Shadow models that failed on this batch (their scores are missing; the champion's are not affected). */
  readonly shadowFailures: { readonly version: string; readonly error: unknown }[];
}

/** Row-major float32 matrix of the vectors (the model input), and each row widened for the explainer. */
function matrix(vectors: readonly FeatureVector[], width: number): Float32Array {
  const rows = new Float32Array(vectors.length * width);
  vectors.forEach((vector, i) => rows.set(vector.values, i * width));
  return rows;
}

/**
 * Scores a batch with the champion — calibrated probability, 0–100 score, risk tier, top contributions — and
 * with every shadow on the same rows (their probabilities ride along in `shadow`, never in the verdict). A
 * vector computed on another feature schema than the champion's is not scored but returned as unscored.
 * A failing shadow is reported and skipped; a failing champion fails the batch (the caller retries it).
 */
export async function scoreBatch(
  vectors: readonly FeatureVector[],
  champion: ServableModel,
  shadows: readonly ServableModel[],
  options: ScoringOptions = DEFAULT_SCORING_OPTIONS,
  now: () => number = Date.now,
): Promise<ScoredBatch> {
  const width = champion.metadata.featureNames.length;
  const unscored: Unscored[] = [];
  const usable: FeatureVector[] = [];
  for (const vector of vectors) {
    if (vector.schema_hash !== champion.metadata.schemaHash || vector.values.length !== width) {
      unscored.push({
        vector,
        reason: 'SCHEMA_MISMATCH',
        message:
          `feature vector of schema ${vector.schema_hash} (${vector.values.length} values) cannot be scored by ` +
          `model ${champion.version} (schema ${champion.metadata.schemaHash}, ${width} features)`,
      });
    } else {
      usable.push(vector);
    }
  }
  if (usable.length === 0) return { scores: [], unscored, shadowFailures: [] };

  const started = performance.now();
  const rows = matrix(usable, width);
  const raw = await champion.classifier.predict(rows, usable.length, width);
  const shadowFailures: { version: string; error: unknown }[] = [];
  const shadowProbabilities = await Promise.all(
    shadows
      .filter((shadow) => shadow.metadata.schemaHash === champion.metadata.schemaHash)
      .map(async (shadow) => {
        try {
          const probabilities = await shadow.classifier.predict(rows, usable.length, width);
          return { shadow, probabilities };
        } catch (error) {
          shadowFailures.push({ version: shadow.version, error });
          return null;
        }
      }),
  );
  const inferenceUs = ((performance.now() - started) * 1000) / usable.length;

  const row = new Float64Array(width);
  const scores = usable.map((vector, i): Score => {
    const rowStarted = performance.now();
    const probability = calibrate(champion.metadata.calibration, raw[i]!);
    const score = scoreFromProbability(probability);
    let contributions: Contribution[] = [];
    if (options.explain && champion.explainer !== null && score >= options.explainMinScore) {
      // The explainer sees exactly the float32 values the model saw.
      for (let j = 0; j < width; j += 1) row[j] = rows[i * width + j]!;
      contributions = champion.explainer.top(row, options.topK);
    }
    const shadow: ShadowScore[] = [];
    for (const entry of shadowProbabilities) {
      if (entry === null) continue;
      shadow.push({
        model_version: entry.shadow.version,
        probability: calibrate(entry.shadow.metadata.calibration, entry.probabilities[i]!),
      });
    }
    return {
      transaction_id: vector.transaction.transaction_id,
      card_id: vector.transaction.card_id,
      model_version: champion.version,
      probability,
      score,
      risk_tier: riskTier(score, options.tiers),
      contributions,
      shadow,
      scored_at: now(),
      scoring_us: Math.round(inferenceUs + (performance.now() - rowStarted) * 1000),
      status: 'SCORED',
      // The values as the vector has them (the model saw them as float32): named from the catalog downstream.
      feature_values: { schema_hash: vector.schema_hash, values: vector.values },
    };
  });
  return { scores, unscored, shadowFailures };
}
