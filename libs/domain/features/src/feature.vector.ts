import { createHash } from 'node:crypto';
import type { EntitySnapshot, NormalizedTransaction } from '@argus/contracts';
import { amountUnits } from './amount.math';
import { FEATURE_CATALOG, FeatureFamily } from './feature.catalog';
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
