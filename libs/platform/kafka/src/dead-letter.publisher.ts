import { Topics, type DeadLetter, type FieldError } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import type { AvroProducer } from './avro.producer';

/** Where the failed bytes came from. HTTP intake uses topic `http:<path>` and partition/offset -1. */
export interface FailedInput {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string | number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface DeadLetterReason {
  readonly code: string;
  readonly message: string;
  readonly fieldErrors?: readonly FieldError[];
  readonly transactionId?: string | null;
}

/** Masks clear card numbers in raw bytes, keeping their length. Injected: the rule lives in a domain lib. */
export type ByteMasker = (bytes: Buffer) => { bytes: Buffer; masked: boolean };

/**
 * Builds DLQ records (reason code, message, field errors, where it came from, the original bytes with any
 * card number masked) and publishes them on `transactions.dlq`. Nothing is lost, nothing leaks.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: AvroProducer,
    private readonly service: string,
    private readonly mask: ByteMasker,
    private readonly logger: Logger,
  ) {}

  build(input: FailedInput, reason: DeadLetterReason, now: number): DeadLetter {
    const value = input.value ? this.mask(input.value) : { bytes: null, masked: false };
    const key = input.key ? this.mask(input.key).bytes : null;
    return {
      reason_code: reason.code,
      message: reason.message,
      field_errors: [...(reason.fieldErrors ?? [])],
      source_topic: input.topic,
      source_partition: input.partition,
      source_offset: Number(input.offset),
      transaction_id: reason.transactionId ?? null,
      original_key: key,
      original_value: value.bytes,
      original_masked: value.masked,
      service: this.service,
      failed_at: now,
    };
  }

  async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    for (const letter of letters) {
      this.logger.warn(
        {
          reason: letter.reason_code,
          transactionId: letter.transaction_id,
          source: `${letter.source_topic}/${letter.source_partition}/${letter.source_offset}`,
          fieldErrors: letter.field_errors,
        },
        `dead-lettered: ${letter.message}`,
      );
    }
    // Keyed by the source topic and partition so one input partition's failures stay in order.
    await this.producer.send(
      'transactionsDlq',
      letters.map((letter) => ({ key: `${letter.source_topic}/${letter.source_partition}`, value: letter })),
    );
  }
}

export const DLQ_TOPIC = Topics.transactionsDlq.name;
