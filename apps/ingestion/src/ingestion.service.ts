import type { DeadLetter, IntakeSource, NormalizedTransaction, Transaction } from '@argus/contracts';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { ClaimResult, type IdempotencyGuard } from '@argus/redis';
import { normaliseTransaction, TransactionValidationError, type PanTokeniser } from '@argus/transaction';
import { metrics } from '@opentelemetry/api';

/** Intake outcomes as an OpenTelemetry counter (`outcome`: accepted | duplicate | invalid), for every replica. */
const intakeCounter = metrics
  .getMeter('argus-ingestion')
  .createCounter('argus.ingestion.transactions', { description: 'Transactions received, by outcome' });

export interface IntakeCounters {
  accepted: number;
  duplicates: number;
  invalid: number;
}

export type IntakeResult =
  | { readonly status: 'accepted'; readonly transaction: NormalizedTransaction }
  | { readonly status: 'duplicate'; readonly transactionId: string }
  | { readonly status: 'invalid'; readonly error: TransactionValidationError };

/**
 * Validate → normalise → tokenise → de-duplicate → publish on `transactions.normalized`. The Kafka consumer
 * and the webhook both come through here, so both apply the same rules.
 */
export class IngestionService {
  readonly counters: IntakeCounters = { accepted: 0, duplicates: 0, invalid: 0 };

  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly guard: IdempotencyGuard,
    private readonly tokeniser: PanTokeniser,
    private readonly limits: { readonly maxAmountMajor: number; readonly dedupTimeoutMs: number },
    private readonly logger: Logger,
  ) {}

  /** A batch from the `transactions` topic; invalid records come back as dead letters. */
  async onTransactions(records: readonly ConsumedRecord<Transaction>[]): Promise<{ deadLetters: DeadLetter[] }> {
    const results = await this.intake(
      records.map((record) => ({
        input: record.value,
        origin: `${record.topic}/${record.partition}/${record.offset}`,
      })),
      'KAFKA',
    );
    const now = Date.now();
    const deadLetters = results.flatMap((result, index) =>
      result.status === 'invalid'
        ? [
            this.kafka.deadLetters.build(
              records[index]!.raw,
              {
                code: result.error.code,
                message: result.error.message,
                fieldErrors: result.error.fieldErrors,
                transactionId: records[index]!.value.transaction_id || null,
              },
              now,
            ),
          ]
        : [],
    );
    return { deadLetters };
  }

  /** Validates and publishes; resolves once the broker has the normalised records. */
  async intake(
    items: readonly { input: Transaction; origin: string }[],
    source: IntakeSource,
  ): Promise<IntakeResult[]> {
    const now = Date.now();
    const results: IntakeResult[] = items.map(({ input }) => {
      try {
        const transaction = normaliseTransaction(input, {
          source,
          now,
          tokeniser: this.tokeniser,
          limits: { maxAmountMajor: this.limits.maxAmountMajor },
        });
        return { status: 'accepted', transaction };
      } catch (error) {
        if (error instanceof TransactionValidationError) return { status: 'invalid', error };
        throw error;
      }
    });

    const accepted = results.flatMap((result, index) =>
      result.status === 'accepted' ? [{ index, transaction: result.transaction }] : [],
    );
    const { results: claims, error } = await this.guard.claimOrAssumeNew(
      accepted.map(({ index, transaction }) => ({ id: transaction.transaction_id, origin: items[index]!.origin })),
      this.limits.dedupTimeoutMs,
    );
    if (error !== null) {
      this.logger.warn(
        { err: error, count: accepted.length },
        'duplicate detection unavailable (Redis): transactions accepted without it',
      );
    }
    const toPublish: NormalizedTransaction[] = [];
    accepted.forEach(({ index, transaction }, i) => {
      if (claims[i] === ClaimResult.DUPLICATE) {
        results[index] = { status: 'duplicate', transactionId: transaction.transaction_id };
        this.logger.info(
          { transactionId: transaction.transaction_id, origin: items[index]!.origin },
          'duplicate dropped',
        );
      } else {
        toPublish.push(transaction);
      }
    });
    await this.kafka.producer.send(
      'transactionsNormalized',
      toPublish.map((transaction) => ({ key: transaction.card_id, value: transaction })),
    );

    for (const result of results) {
      if (result.status === 'accepted') this.counters.accepted += 1;
      else if (result.status === 'duplicate') this.counters.duplicates += 1;
      else this.counters.invalid += 1;
      intakeCounter.add(1, { outcome: result.status, source });
    }
    return results;
  }
}
