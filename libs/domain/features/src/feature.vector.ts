import { createHash } from 'node:crypto';
import type { EntitySnapshot, NormalizedTransaction } from '@argus/contracts';
import { amountUnits } from './amount.math';
import { FEATURE_CATALOG, FEATURE_NAMES, FeatureFamily } from './feature.catalog';
import { FeatureContext } from './feature.context';
import { exponentOf, type StateEventOptions } from './state-event.builder';

/**
 * Bump when a feature's computation changes without its name or description changing: the schema hash then
 * changes too, and models trained on the old meaning refuse the new vectors.
 */
export const FEATURE_LOGIC_VERSION = 1;

/** Hash of the ordered feature definitions (name, family, window, description) and the logic version. */
export const FEATURE_SCHEMA_HASH: string = createHash('sha256')
  .update(
    JSON.stringify({
      version: FEATURE_LOGIC_VERSION,
      features: FEATURE_CATALOG.map(({ name, family, window, description }) => [name, family, window, description]),
    }),
  )
  .digest('hex')
  .slice(0, 16);

/**
 * The names of a vector's values. A vector of this catalog carries none on the wire (`names` is empty: 123
 * names were 2.3 KB of each 3.4 KB record, encoded, sent and decoded at every hop) and is named by the catalog,
 * its schema hash being the catalog's; a vector of another schema is named by its own `names`. Null when it has
 * neither — a vector of a catalog this build does not know, without names.
 */
export function featureNamesOf(vector: {
  readonly schema_hash: string;
  readonly names: readonly string[];
  readonly values: readonly number[];
}): readonly string[] | null {
  if (vector.schema_hash === FEATURE_SCHEMA_HASH && vector.values.length === FEATURE_NAMES.length) return FEATURE_NAMES;
  if (vector.names.length === vector.values.length) return vector.names;
  return null;
}

/** The feature vector of one transaction, in FEATURE_CATALOG order, from the snapshots its state event returned. */
export function computeFeatures(
  txn: NormalizedTransaction,
  snapshots: readonly EntitySnapshot[],
  options: StateEventOptions,
): number[] {
  const ctx = new FeatureContext(txn, amountUnits(txn.amount_minor, exponentOf(txn, options)), snapshots);
  return FEATURE_CATALOG.map((feature) => feature.compute(ctx));
}

/**
 * The vector when behavioural state is unavailable (Redis down): the transaction's own features are computed,
 * every feature that needs state is NaN ("missing", as the models treat a missing value), never a zero that
 * would read as "first transaction of a new card".
 */
export function computeStatelessFeatures(txn: NormalizedTransaction, options: StateEventOptions): number[] {
  const ctx = new FeatureContext(txn, amountUnits(txn.amount_minor, exponentOf(txn, options)), []);
  return FEATURE_CATALOG.map((feature) =>
    feature.family === FeatureFamily.TRANSACTION ? feature.compute(ctx) : Number.NaN,
  );
}
