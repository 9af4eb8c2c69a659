import type { FeatureStateStore, FeatureVector, NormalizedTransaction } from '@argus/contracts';
import { DegradedCode } from '@argus/decision';
import {
  buildStateEvent,
  computeFeatures,
  computeStatelessFeatures,
  FEATURE_SCHEMA_HASH,
  type StateEventOptions,
} from '@argus/features';

/** Marks a vector recomputed for a transaction whose state was already counted (a Kafka redelivery). */
export const REDELIVERY = 'REDELIVERY';

/**
 * Extra state budget per transaction of a batch (ms). Redis spends about 1 ms per transaction on the state
 * scripts (`argus bench features`): a large batch behind a burst is slow, not down, and must not lose its
 * state for being large.
 */
export const STATE_MS_PER_TRANSACTION = 2;

export interface FeatureStageOptions extends StateEventOptions {
  /**
   * How long the state store may take for one transaction, plus STATE_MS_PER_TRANSACTION for each one of the
   * batch, before the batch is computed without state (ms). A store that is down
   * must not hold a payment: the vectors then carry STATE_UNAVAILABLE and the policy says what that means.
   */
  readonly stateTimeoutMs: number;
}

export interface FeatureStageResult {
  readonly vectors: FeatureVector[];
  /** Why the state could not be used (the vectors are stateless), or null. */
  readonly stateError: Error | null;
  /** Transactions whose state was already counted: recomputed, not counted again. */
  readonly redelivered: readonly string[];
}

/**
 * Feature vectors for a batch of transactions, in order: one state round trip for the batch, then
 * `@argus/features`. When the state store fails or is slower than `stateTimeoutMs`, every vector of the batch
 * is computed from the transaction alone (state features missing) and says STATE_UNAVAILABLE.
 * The async feature service and the sync gateway both call this, so both degrade the same way.
 */
export async function computeFeatureVectors(
  state: FeatureStateStore,
  transactions: readonly NormalizedTransaction[],
  options: FeatureStageOptions,
  now: () => number = Date.now,
): Promise<FeatureStageResult> {
  const events = transactions.map((txn) => buildStateEvent(txn, options));
  let snapshots: Awaited<ReturnType<FeatureStateStore['apply']>>;
  try {
    const budget = options.stateTimeoutMs + transactions.length * STATE_MS_PER_TRANSACTION;
    snapshots = await withTimeout(state.apply(events), budget, 'feature state');
  } catch (error) {
    const computedAt = now();
    return {
      vectors: transactions.map((transaction) => ({
        transaction,
        schema_hash: FEATURE_SCHEMA_HASH,
        names: [], // of this catalog: its schema hash names its values (featureNamesOf)
        values: computeStatelessFeatures(transaction, options),
        degraded: [DegradedCode.STATE_UNAVAILABLE],
        computed_at: computedAt,
      })),
      stateError: error instanceof Error ? error : new Error(String(error)),
      redelivered: [],
    };
  }
  const computedAt = now();
  const redelivered: string[] = [];
  const vectors = transactions.map((transaction, i): FeatureVector => {
    const entitySnapshots = snapshots[i]!;
    const again = entitySnapshots.some((snapshot) => snapshot.duplicate);
    if (again) redelivered.push(transaction.transaction_id);
    return {
      transaction,
      schema_hash: FEATURE_SCHEMA_HASH,
      names: [], // of this catalog: its schema hash names its values (featureNamesOf)
      values: computeFeatures(transaction, entitySnapshots, options),
      degraded: again ? [REDELIVERY] : [],
      computed_at: computedAt,
    };
  });
  return { vectors, stateError: null, redelivered };
}

/** A state call slower than its budget: the caller goes on without it. */
export class StateTimeoutError extends Error {
  override readonly name = 'StateTimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StateTimeoutError(`${what} did not answer within ${ms} ms`)), ms);
  });
  // The late answer (or failure) of a timed-out call is dropped on purpose: the batch went on without it.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
