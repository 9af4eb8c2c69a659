import { Topics, type TopicKey, type TopicValue } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import { traceHeaders } from '@argus/telemetry';
import type { Message } from 'kafkajs';

/** A record ready for the broker: encoded while its request was served, so a bad value fails that request. */
export interface EncodedRecord {
  readonly topic: string;
  readonly message: Message;
  /** For logs: which transaction a record that could not be sent belonged to. */
  readonly transactionId: string;
}

/** The part of the Kafka producer the buffer uses (AvroProducer.sendRaw): resolves once the broker acknowledged. */
export interface RawSender {
  sendRaw(topicMessages: { topic: string; messages: Message[] }[]): Promise<void>;
}

export interface PublishBufferOptions {
  /** Records waiting or reserved, at most. */
  readonly capacity: number;
  /** How long the first record of a batch waits for others (ms). */
  readonly lingerMs: number;
  readonly maxBatch?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Failing for longer than this (ms) makes `healthy` false (readiness). */
  readonly unhealthyAfterMs?: number;
  readonly now?: () => number;
}

/** Room held for a request's records between the admission check and the decision. */
export interface Reservation {
  /** Queues the records (at most as many as were reserved; any left over is given back). */
  publish(records: readonly EncodedRecord[]): void;
  cancel(): void;
}

/** Encodes one record through the schema registry, with the active trace context in its headers. */
export function encodeRecord<K extends TopicKey>(
  serde: { encode(topic: K, value: TopicValue<K>): Buffer },
  topic: K,
  key: string,
  value: TopicValue<K>,
  transactionId: string,
): EncodedRecord {
  return {
    topic: Topics[topic].name,
    message: { key, value: serde.encode(topic, value), headers: traceHeaders() },
    transactionId,
  };
}

/**
 * The gateway answers first and publishes after: records wait here a few milliseconds and go to the broker
 * in batches, one request at a time and in order (so one card's records keep their order). A failed send is
 * retried with exponential backoff, never dropped. The queue is bounded: `reserve` refuses when it is full,
 * which the gateway turns into 503 BACKPRESSURE before deciding — a decision is refused rather than lost.
 * `close` flushes what is left, within a deadline, on shutdown.
 */
export class PublishBuffer {
  private readonly queue: EncodedRecord[] = [];
  private reserved = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private failures = 0;
  private failingSince: number | null = null;
  private closed = false;
  private deadline = Number.POSITIVE_INFINITY;
  private readonly maxBatch: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unhealthyAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sender: RawSender,
    private readonly options: PublishBufferOptions,
    private readonly logger: Logger,
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.minBackoffMs = options.minBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.unhealthyAfterMs = options.unhealthyAfterMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Records queued or reserved. */
  get depth(): number {
    return this.queue.length + this.reserved;
  }

  get full(): boolean {
    return this.depth >= this.options.capacity;
  }

  /** False while sends have been failing for longer than `unhealthyAfterMs`. */
  get healthy(): boolean {
    return this.failingSince === null || this.now() - this.failingSince < this.unhealthyAfterMs;
  }

  /** Room for `count` records, or null when the queue is full (or closing). */
  reserve(count: number): Reservation | null {
    if (this.closed || this.depth + count > this.options.capacity) return null;
    this.reserved += count;
    let held = count;
    return {
      publish: (records) => {
        const taken = Math.min(held, records.length);
        this.reserved -= held;
        held = 0;
        // More records than reserved would overrun the bound; callers reserve what they publish.
        this.queue.push(...records.slice(0, taken));
        if (taken < records.length) {
          this.logger.error(
            { records: records.length - taken, transactionId: records[taken]!.transactionId },
            'more records than reserved: the extra ones were not queued',
          );
        }
        this.schedule();
      },
      cancel: () => {
        this.reserved -= held;
        held = 0;
      },
    };
  }

  /**
   * Sends everything queued, retrying until `timeoutMs` has passed; returns what could not be sent (it is
   * also logged with its transaction ids, so an operator can replay them from the requests' logs).
   */
  async close(timeoutMs: number): Promise<{ unsent: number }> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = this.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    // A send blocked on an unreachable broker must not hold the shutdown past its deadline.
    await Promise.race([
      this.drain(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const unsent = this.queue.length;
    if (unsent > 0) {
      this.logger.error(
        { unsent, transactionIds: this.queue.slice(0, 100).map((record) => record.transactionId) },
        'shutdown: records could not be published before the deadline',
      );
    }
    return { unsent };
  }

  private schedule(): void {
    if (this.timer !== undefined || this.draining !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.options.lingerMs);
  }

  private drain(): Promise<void> {
    this.draining ??= this.sendAll().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.closed) this.schedule();
    });
    return this.draining;
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        await this.sender.sendRaw(byTopic(batch));
        this.queue.splice(0, batch.length);
        if (this.failures > 0) this.logger.info({ attempts: this.failures + 1 }, 'publishing recovered');
        this.failures = 0;
        this.failingSince = null;
      } catch (error) {
        this.failures += 1;
        this.failingSince ??= this.now();
        const backoffMs = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** (this.failures - 1));
        this.logger.warn(
          {
            err: error,
            records: batch.length,
            queued: this.queue.length,
            attempt: this.failures,
            backoffMs,
            transactionId: batch[0]!.transactionId,
          },
          'publish failed; retrying',
        );
        const left = this.deadline - this.now();
        if (left <= 0) return;
        await sleep(Math.min(backoffMs, left));
      }
    }
  }
}

/** The records of each topic together, each topic's in their order (order across topics does not matter). */
function byTopic(records: readonly EncodedRecord[]): { topic: string; messages: Message[] }[] {
  const groups = new Map<string, Message[]>();
  for (const record of records) {
    const messages = groups.get(record.topic);
    if (messages === undefined) groups.set(record.topic, [record.message]);
    else messages.push(record.message);
  }
  return [...groups].map(([topic, messages]) => ({ topic, messages }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
