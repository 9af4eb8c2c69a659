import type { FeatureVector, NormalizedTransaction } from '@argus/contracts';
import { FEATURE_NAMES, FEATURE_SCHEMA_HASH } from '@argus/features';

/**
 * A row of a backfill table (CSV, parsed with headers) as the feature vector the feature service would have
 * emitted for it: features in schema order, empty cells as NaN. The transaction carries only its ids — the
 * table does not keep the rest — which is all scoring reads.
 */
export function featureVectorOfRow(row: Readonly<Record<string, string>>): FeatureVector {
  return {
    transaction: { transaction_id: row['transaction_id']!, card_id: row['card_id']! } as NormalizedTransaction,
    schema_hash: FEATURE_SCHEMA_HASH,
    names: [...FEATURE_NAMES],
    values: FEATURE_NAMES.map((name) => (row[name] === '' ? Number.NaN : Number(row[name]))),
    degraded: [],
    computed_at: 0,
  };
}
