import { Topics, type TopicKey, type TopicValue } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import type { AvroSerde } from '@argus/schema-registry';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { consumerConfig, decodeBatch, type ConsumedRecord } from './avro-batch.consumer';
import { coPartitionedAssigner } from './co-partitioned.assigner';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { OffsetTracker } from './offset.tracker';

/** Tells the consumer a record is finished with (its output published): its offset may be committed. */
export interface RecordAcknowledger {
  done(record: ConsumedRecord<unknown>): void;
}

/**
 * One handler per topic. A handler must return promptly: it hands records over (to a join buffer) and
 * acknowledges each one later, when its output is published. Returning does not commit anything.
 */
export type JoinedHandlers<K extends TopicKey> = {
  readonly [T in K]: (records: readonly ConsumedRecord<TopicValue<T>>[], ack: RecordAcknowledger) => void;
};

export interface JoinedConsumerSettings<K extends TopicKey> {
  readonly groupId: string;
  /** Keyed alike, with equal partition counts: partition p of each goes to the same member. */
  readonly topics: readonly K[];
  readonly fromBeginning?: boolean;
  /** How often finished offsets are committed (ms). */
  readonly commitIntervalMs?: number;
  /** Called when the group rebalances: records not acknowledged yet will be fetched again. */
  readonly onRebalance?: () => void;
}

/**
 * A consumer of several co-partitioned Avro topics whose records finish out of order — a join, where a record
 * waits for its partner from the other topic. kafkajs fetches again only once every batch of the previous
 * fetch has been handled, so a handler that waited for the partner would wait for a record that cannot be
 * fetched: handlers return at once, and offsets are committed only up to the oldest record not yet
 * acknowledged (at-least-once, like the batch consumer, without holding the fetch loop).
 */
export class JoinedAvroConsumer<K extends TopicKey> {
  private readonly consumer: Consumer;
  private readonly tracker = new OffsetTracker();
  private readonly keyByName: Map<string, K>;
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();

  constructor(
    kafka: Kafka,
    private readonly serde: AvroSerde,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly settings: JoinedConsumerSettings<K>,
    private readonly logger: Logger,
  ) {
    const partitions = new Set(settings.topics.map((topic) => Topics[topic].partitions));
    if (partitions.size !== 1) {
      throw new RangeError(`joined topics must have equal partition counts: ${settings.topics.join(', ')}`);
    }
    this.keyByName = new Map(settings.topics.map((topic) => [Topics[topic].name, topic]));
    this.consumer = kafka.consumer(consumerConfig(settings.groupId, { partitionAssigners: [coPartitionedAssigner] }));
  }

  /** Records handed over and not acknowledged yet. */
  get pending(): number {
    return this.tracker.pending;
  }

  async start(handlers: JoinedHandlers<K>): Promise<void> {
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.tracker.reset();
      this.settings.onRebalance?.();
    });
    await this.consumer.subscribe({
      topics: this.settings.topics.map((topic) => Topics[topic].name),
      fromBeginning: this.settings.fromBeginning ?? true,
    });
    const ack: RecordAcknowledger = {
      done: (record) => this.tracker.done(record.topic, record.partition, record.offset),
    };
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.topics.length * Topics[this.settings.topics[0]!].partitions,
      eachBatch: (payload) => this.processBatch(payload, handlers, ack),
    });
    this.commitTimer = setInterval(() => void this.commit(), this.settings.commitIntervalMs ?? 100);
    this.commitTimer.unref();
  }

  /** Commits what is finished, then leaves the group (unfinished records will be fetched again). */
  async stop(): Promise<void> {
    clearInterval(this.commitTimer);
    await this.commit();
    await this.consumer.disconnect();
  }

  private async processBatch(
    payload: EachBatchPayload,
    handlers: JoinedHandlers<K>,
    ack: RecordAcknowledger,
  ): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const topic = this.keyByName.get(batch.topic)!;
    const { records, undecodable } = await decodeBatch(this.serde, this.deadLetters, topic, batch, Date.now());
    for (const message of batch.messages) this.tracker.track(batch.topic, batch.partition, message.offset);
    if (undecodable.length > 0) {
      await this.deadLetters.publish(undecodable);
      for (const letter of undecodable) this.tracker.done(batch.topic, batch.partition, String(letter.source_offset));
    }
    if (records.length > 0) {
      const handler = handlers[topic] as (records: readonly ConsumedRecord<unknown>[], ack: RecordAcknowledger) => void;
      handler(records, ack);
    }
    payload.resolveOffset(batch.lastOffset());
    await payload.heartbeat();
  }

  private commit(): Promise<void> {
    // One commit at a time, in order: a later commit point never lands before an earlier one.
    this.committing = this.committing.then(async () => {
      const offsets = this.tracker.commitable();
      if (offsets.length === 0) return;
      try {
        await this.consumer.commitOffsets(offsets);
      } catch (error) {
        // Not fatal: uncommitted records are fetched again after a restart and the join is idempotent.
        this.logger.warn({ err: error, groupId: this.settings.groupId }, 'offset commit failed');
      }
    });
    return this.committing;
  }
}
