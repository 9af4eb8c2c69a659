import type { FeatureVector, Score } from '@argus/contracts';
import { scoreBatch, type ScoredBatch, type ScoringOptions } from '@argus/scoring';
import type { ModelCatalog } from './model.catalog';

/** What scoring a batch gave: scores (NO_MODEL ones when no champion serves) and vectors that were refused. */
export interface CatalogScoring extends ScoredBatch {
  /** The champion's version, or null when none was serving (every score is then NO_MODEL). */
  readonly champion: string | null;
}

/**
 * Scores vectors with the catalog's current champion and shadows, leased for the call so that a model swap
 * never changes a model under a batch. With no champion every vector gets a NO_MODEL score, which lets the
 * decision go ahead at once on the rules instead of waiting for a score that will not come.
 */
export async function scoreWithCatalog(
  catalog: ModelCatalog,
  vectors: readonly FeatureVector[],
  options: ScoringOptions,
  now: () => number = Date.now,
): Promise<CatalogScoring> {
  const lease = catalog.lease();
  try {
    const models = lease.models;
    if (models === null) {
      const at = now();
      return {
        champion: null,
        scores: vectors.map((vector) => noModelScore(vector, at)),
        unscored: [],
        shadowFailures: [],
      };
    }
    const batch = await scoreBatch(vectors, models.champion, models.shadows, options, now);
    return { champion: models.champion.version, ...batch };
  } finally {
    lease.release();
  }
}

/** The score record that says no model was serving. */
export function noModelScore(vector: FeatureVector, now: number): Score {
  return {
    transaction_id: vector.transaction.transaction_id,
    card_id: vector.transaction.card_id,
    model_version: '',
    probability: 0,
    score: 0,
    risk_tier: 'LOW',
    contributions: [],
    shadow: [],
    scored_at: now,
    scoring_us: 0,
    status: 'NO_MODEL',
    // The rules may still REVIEW or BLOCK it, and the analyst then reads the vector.
    feature_values: { schema_hash: vector.schema_hash, values: vector.values },
  };
}
