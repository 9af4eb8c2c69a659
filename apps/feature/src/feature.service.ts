import {
  LabelOutcome,
  type FeatureStateStore,
  type FeatureVector,
  type Label,
  type NormalizedTransaction,
} from '@argus/contracts';
import { computeFeatureVectors, type FeatureStageOptions } from '@argus/decisioning';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';

/**
 * Behavioural features for every normalised transaction: one state round trip per batch (Redis), the feature
 * vector computed by `@argus/features`, published on `transactions.features`. When Redis is down or slow, the
 * batch goes on with the transaction's own features and says STATE_UNAVAILABLE (a payment is never held by
 * the state store). FRAUD labels from `labels` update the label-aware state at the moment they arrive — that
 * is, when they became known.
 */
export class FeatureService {
  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly state: FeatureStateStore,
    private readonly options: FeatureStageOptions,
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
    const result = await computeFeatureVectors(this.state, transactions, this.options);
    if (result.stateError !== null) {
      this.logger.warn(
        { err: result.stateError, count: transactions.length },
        'feature state unavailable: features computed from the transactions alone (STATE_UNAVAILABLE)',
      );
    }
    for (const transactionId of result.redelivered) {
      this.logger.info({ transactionId }, 'transaction already counted: not counted again');
    }
    return result.vectors;
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
