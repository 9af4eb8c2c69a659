import { Topics, type TopicKey, type TopicValue } from '@argus/contracts';
import type { AvroSerde } from '@argus/schema-registry';
import { traceHeaders } from '@argus/telemetry';
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { KafkaError, KafkaErrorCode } from './kafka.errors';

export interface OutgoingRecord<K extends TopicKey> {
  /** Partition key: the card / account id, so a customer's events stay in order. */
  readonly key: string;
  readonly value: TopicValue<K>;
  readonly headers?: Record<string, string>;
}

/** A batch for one topic, for sendMany(). */
export interface TopicBatch {
  readonly topic: TopicKey;
  readonly records: readonly OutgoingRecord<TopicKey>[];
}

/** Upper bound of one produce request's payload: well under the broker's default 1 MiB record batch limit. */
export const MAX_REQUEST_BYTES = 512 * 1024;

function messageBytes(message: Message): number {
  let bytes = 64 + (message.value?.length ?? 0) + (message.key?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + String(value ?? '').length;
  return bytes;
}

/** Splits messages, in order, into requests of at most `limit` bytes (a single larger message goes alone). */
export function splitBySize(
  topicMessages: readonly { topic: string; messages: Message[] }[],
  limit: number,
): { topic: string; messages: Message[] }[][] {
  const requests: { topic: string; messages: Message[] }[][] = [];
  let current: { topic: string; messages: Message[] }[] = [];
  let size = 0;
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const bytes = messageBytes(message);
      if (size > 0 && size + bytes > limit) {
        requests.push(current);
        current = [];
        size = 0;
      }
      const last = current.at(-1);
      if (last?.topic === topic) last.messages.push(message);
      else current.push({ topic, messages: [message] });
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/**
 * Idempotent producer of Avro records: values are encoded through the schema registry, the active trace
 * context travels in the headers, and a send resolves only once the broker has acknowledged it (acks=all),
 * so a consumer may commit its input offsets right after.
 */
export class AvroProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly serde: AvroSerde,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // An idempotent producer must not give up on a retriable error (kafkajs warns otherwise); while the
      // broker is away the consumer's batch waits, uncommitted, rather than losing the record.
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }

  async send<K extends TopicKey>(topic: K, records: readonly OutgoingRecord<K>[]): Promise<void> {
    await this.sendMany([{ topic, records }]);
  }

  /** One broker round trip for records of several topics. */
  async sendMany(batches: readonly TopicBatch[]): Promise<void> {
    const topicMessages = batches
      .filter((batch) => batch.records.length > 0)
      .map((batch) => ({
        topic: Topics[batch.topic].name,
        messages: batch.records.map((r) => this.message(batch.topic, r)),
      }));
    await this.sendRaw(topicMessages);
  }

  /**
   * Pre-encoded messages (dead letters keep foreign bytes as they were). Sent in requests of at most
   * MAX_REQUEST_BYTES, one after the other: a broker refuses a record batch over its `message.max.bytes`
   * (1 MiB by default), and a consumer batch of feature vectors easily exceeds that.
   */
  async sendRaw(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    if (topicMessages.length === 0) return;
    if (!this.connected) throw new KafkaError(KafkaErrorCode.NOT_CONNECTED, 'producer is not connected');
    for (const request of splitBySize(topicMessages, MAX_REQUEST_BYTES)) {
      try {
        await this.producer.sendBatch({ topicMessages: request, acks: -1, compression: CompressionTypes.None });
      } catch (error) {
        throw new KafkaError(KafkaErrorCode.PRODUCE_FAILED, `produce failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  private message(topic: TopicKey, record: OutgoingRecord<TopicKey>): Message {
    return {
      key: record.key,
      value: this.serde.encode(topic, record.value as TopicValue<typeof topic>),
      headers: { ...traceHeaders(), ...record.headers },
    };
  }
}
