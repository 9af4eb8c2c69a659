import {
  LabelOutcome,
  type FeatureStateStore,
  type FeatureVector,
  type Label,
  type NormalizedTransaction,
} from '@argus/contracts';
import {
  buildStateEvent,
  computeFeatures,
  FEATURE_NAMES,
  FEATURE_SCHEMA_HASH,
  type StateEventOptions,
} from '@argus/features';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';

/** Marks a vector recomputed for a transaction this service had already counted (a Kafka redelivery). */
export const REDELIVERY = 'REDELIVERY';

/**
 * Behavioural features for every normalised transaction: one state round trip per batch (Redis), the feature
 * vector computed by `@argus/features`, published on `transactions.features`. FRAUD labels from `labels`
 * update the label-aware state at the moment they arrive — that is, when they became known.
 */
export class FeatureService {
  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly state: FeatureStateStore,
    private readonly options: StateEventOptions,
    private readonly logger: Logger,
  ) {}

  async onTransactions(records: readonly ConsumedRecord<NormalizedTransaction>[]): Promise<void> {
    const vectors = await this.vectors(records.map((record) => record.value));
    await this.kafka.producer.send(
      'transactionsFeatures',
      vectors.map((vector) => ({ key: vector.transaction.card_id, value: vector })),
    );
  }

  /** Feature vectors for a batch of transactions, in order (exported for tests and benchmarks). */
  async vectors(transactions: readonly NormalizedTransaction[]): Promise<FeatureVector[]> {
    const events = transactions.map((txn) => buildStateEvent(txn, this.options));
    const snapshots = await this.state.apply(events);
    const computedAt = Date.now();
    return transactions.map((transaction, i) => {
      const entitySnapshots = snapshots[i]!;
      const redelivered = entitySnapshots.some((snapshot) => snapshot.duplicate);
      if (redelivered) {
        this.logger.info(
          { transactionId: transaction.transaction_id },
          'transaction already counted: not counted again',
        );
      }
      return {
        transaction,
        schema_hash: FEATURE_SCHEMA_HASH,
        names: [...FEATURE_NAMES],
        values: computeFeatures(transaction, entitySnapshots, this.options),
        degraded: redelivered ? [REDELIVERY] : [],
        computed_at: computedAt,
      };
    });
  }

  async onLabels(records: readonly ConsumedRecord<Label>[]): Promise<void> {
    const fraud = records.map((record) => record.value).filter((label) => label.label === 'FRAUD');
    const outcomes = await this.state.applyFraudLabels(
      fraud.map((label) => ({ transactionId: label.transaction_id, reportedAt: label.reported_at })),
    );
    const counts = { COUNTED: 0, ALREADY_COUNTED: 0, UNKNOWN_TRANSACTION: 0 };
    for (const outcome of outcomes) counts[outcome] += 1;
    if (counts[LabelOutcome.UNKNOWN_TRANSACTION] > 0) {
      this.logger.warn({ ...counts }, 'FRAUD labels for transactions the index does not know: not counted');
    }
    this.logger.debug({ ...counts, legitimate: records.length - fraud.length }, 'labels applied');
  }
}
