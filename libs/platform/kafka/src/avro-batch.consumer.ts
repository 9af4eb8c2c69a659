import { Topics, type TopicKey, type TopicValue } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import { SchemaRegistryError, type AvroSerde } from '@argus/schema-registry';
import { contextFromHeaders, inSpan, SpanKind } from '@argus/telemetry';
import type { Context } from '@opentelemetry/api';
import type { Consumer, ConsumerConfig, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import type { DeadLetter } from '@argus/contracts';
import type { DeadLetterPublisher, FailedInput } from './dead-letter.publisher';

export interface ConsumedRecord<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: T;
  /** Broker timestamp (ms) of the record: when it was produced. */
  readonly timestamp: number;
  readonly headers: IHeaders;
  /** Trace context the producer sent, to continue the trace. */
  readonly trace: Context;
  /** The raw input, for dead-lettering a record the handler rejects. */
  readonly raw: FailedInput;
}

/** What a batch handler returns: records it could not process, to dead-letter before the commit. */
export interface BatchOutcome {
  readonly deadLetters?: readonly DeadLetter[];
}

export type BatchHandler<T> = (records: readonly ConsumedRecord<T>[]) => Promise<BatchOutcome | void>;

export interface ConsumerSettings {
  readonly groupId: string;
  readonly topic: TopicKey;
  /** Partitions processed at once; up to the topic's partition count. */
  readonly concurrency?: number;
  readonly fromBeginning?: boolean;
  /** How long the group waits for a silent member (default 30 000 ms; the broker's minimum is 6 000). */
  readonly sessionTimeoutMs?: number;
}

/** The consumer settings every Argus consumer shares; `extra` adds to them (e.g. a partition assigner). */
export function consumerConfig(groupId: string, extra: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    groupId,
    allowAutoTopicCreation: false,
    // The broker answers a fetch as soon as one byte is there (fetch.min.bytes 1): a longer wait adds no
    // latency, it only stops an idle consumer from polling the broker a hundred times a second.
    maxWaitTimeInMs: 200,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    retry: { retries: 10, initialRetryTime: 200 },
    ...extra,
  };
}

/**
 * Decodes a fetched batch. A record that cannot be decoded becomes a dead letter with the decode error's
 * code; a transient failure (registry down) throws, so the batch is retried and nothing is lost.
 */
export async function decodeBatch<K extends TopicKey>(
  serde: AvroSerde,
  deadLetters: DeadLetterPublisher,
  topic: K,
  batch: EachBatchPayload['batch'],
  now: number,
): Promise<{ records: ConsumedRecord<TopicValue<K>>[]; undecodable: DeadLetter[] }> {
  const records: ConsumedRecord<TopicValue<K>>[] = [];
  const undecodable: DeadLetter[] = [];
  for (const message of batch.messages) {
    const raw: FailedInput = {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      key: message.key,
      value: message.value,
    };
    try {
      const value = await serde.decode(topic, message.value);
      records.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value,
        timestamp: Number(message.timestamp),
        headers: message.headers ?? {},
        trace: contextFromHeaders(message.headers),
        raw,
      });
    } catch (error) {
      if (!(error instanceof SchemaRegistryError) || error.retryable) throw error;
      undecodable.push(deadLetters.build(raw, { code: error.code, message: error.message }, now));
    }
  }
  return { records, undecodable };
}

/**
 * Batch consumer of one Avro topic with at-least-once delivery: a batch is decoded, handed to the handler,
 * its dead letters published, and only then are its offsets committed. A record that cannot be decoded goes
 * to the DLQ with the decode error's code; a transient failure (registry or broker down) throws, so kafkajs
 * retries the batch and nothing is committed or lost.
 */
/** How often a batch still being handled tells the group it is alive (the session times out at 30 s). */
const HEARTBEAT_WHILE_BUSY_MS = 1_000;
const RESTART_DELAY_MS = 1_000;

export class AvroBatchConsumer<K extends TopicKey> {
  private readonly consumer: Consumer;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly serde: AvroSerde,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly settings: ConsumerSettings & { topic: K },
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer(
      consumerConfig(
        settings.groupId,
        settings.sessionTimeoutMs === undefined
          ? {}
          : { sessionTimeout: settings.sessionTimeoutMs, heartbeatInterval: 1_000 },
      ),
    );
  }

  async start(handler: BatchHandler<TopicValue<K>>): Promise<void> {
    const topicName = Topics[this.settings.topic].name;
    const run = async () => {
      await this.consumer.connect();
      await this.consumer.subscribe({ topic: topicName, fromBeginning: this.settings.fromBeginning ?? true });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.concurrency ?? Topics[this.settings.topic].partitions,
        eachBatch: (payload) => this.processBatch(payload, handler),
      });
    };
    // kafkajs gives up for good on a crash it deems non-retriable (a commit after the group moved on: "the
    // coordinator is not aware of this member"), leaving a live process that consumes nothing. Start again:
    // uncommitted records are fetched anew, which every handler tolerates (at-least-once); a group that has
    // committed nothing yet starts again where `fromBeginning` says (the start, by default).
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping) return;
      this.logger.error({ err: payload.error, groupId: this.settings.groupId }, 'consumer crashed; starting it again');
      setTimeout(() => {
        if (!this.stopping)
          run().catch((error: unknown) => this.logger.error({ err: error }, 'consumer restart failed'));
      }, RESTART_DELAY_MS).unref();
    });
    await run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }

  private async processBatch(payload: EachBatchPayload, handler: BatchHandler<TopicValue<K>>): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const { records, undecodable } = await decodeBatch(
      this.serde,
      this.deadLetters,
      this.settings.topic,
      batch,
      Date.now(),
    );

    // A long batch (a slow handler, a large backlog) must not outlast the session: the group would move on and
    // the commit below fail. kafkajs sends a heartbeat only when one is due, so calling it often is cheap.
    const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_WHILE_BUSY_MS);
    const outcome = await inSpan(
      `${batch.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        parent: records[0]?.trace,
        attributes: {
          'messaging.batch.message_count': batch.messages.length,
          'messaging.kafka.partition': batch.partition,
        },
      },
      async () => (records.length > 0 ? handler(records) : undefined),
    ).finally(() => clearInterval(beat));
    await this.deadLetters.publish([...undecodable, ...(outcome?.deadLetters ?? [])]);

    const last = batch.lastOffset();
    payload.resolveOffset(last);
    await this.consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    await payload.heartbeat();
    this.logger.debug({ partition: batch.partition, count: batch.messages.length, last }, 'batch committed');
  }
}
