import type { DeadLetter, FeatureVector } from '@argus/contracts';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import type { ScoringOptions } from '@argus/scoring';
import { metrics } from '@opentelemetry/api';
import { scoreWithCatalog, type ModelCatalog } from '@argus/decisioning';

const meter = metrics.getMeter('argus-scoring');
const scoredCounter = meter.createCounter('argus.scoring.transactions', {
  description: 'Feature vectors received, by outcome (scored, no_model, schema_mismatch)',
});
const latency = meter.createHistogram('argus.scoring.batch_ms', { description: 'Scoring time of a batch (ms)' });

export interface ScoringCounters {
  scored: number;
  /** Vectors that arrived while no champion was loaded: NO_MODEL scores, the combiner decides on rules alone. */
  no_model: number;
  /** Vectors of another feature schema than the champion's: dead-lettered. */
  schema_mismatch: number;
  shadow_failures: number;
}

/**
 * Scores every feature vector with the champion (and the shadows, on the same rows) and publishes the scores
 * on `transactions.scores` (NO_MODEL scores while no champion is loaded). Each batch leases the models it starts with, so a promotion never changes the
 * model under a batch and never drops one.
 */
export class ScoringService {
  readonly counters: ScoringCounters = { scored: 0, no_model: 0, schema_mismatch: 0, shadow_failures: 0 };

  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly catalog: ModelCatalog,
    private readonly options: ScoringOptions,
    private readonly logger: Logger,
  ) {}

  async onFeatures(records: readonly ConsumedRecord<FeatureVector>[]): Promise<{ deadLetters: DeadLetter[] }> {
    const started = performance.now();
    const batch = await scoreWithCatalog(
      this.catalog,
      records.map((record) => record.value),
      this.options,
    );
    await this.kafka.producer.send(
      'transactionsScores',
      batch.scores.map((score) => ({ key: score.card_id, value: score })),
    );
    latency.record(performance.now() - started);
    if (batch.champion === null) {
      this.counters.no_model += batch.scores.length;
      scoredCounter.add(batch.scores.length, { outcome: 'no_model' });
      this.logger.warn({ count: batch.scores.length }, 'no champion model loaded: NO_MODEL scores published');
    } else {
      this.counters.scored += batch.scores.length;
      scoredCounter.add(batch.scores.length, { outcome: 'scored', model: batch.champion });
    }
    for (const failure of batch.shadowFailures) {
      this.counters.shadow_failures += 1;
      this.logger.warn({ err: failure.error, version: failure.version }, 'shadow model failed on a batch');
    }
    if (batch.unscored.length === 0) return { deadLetters: [] };
    const byVector = new Map(records.map((record) => [record.value, record]));
    const now = Date.now();
    const deadLetters = batch.unscored.map((unscored) => {
      this.counters.schema_mismatch += 1;
      scoredCounter.add(1, { outcome: 'schema_mismatch' });
      return this.kafka.deadLetters.build(
        byVector.get(unscored.vector)!.raw,
        {
          code: unscored.reason,
          message: unscored.message,
          transactionId: unscored.vector.transaction.transaction_id,
        },
        now,
      );
    });
    return { deadLetters };
  }
}
