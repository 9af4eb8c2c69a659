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
  /**
   * How the broker gathers a fetch. The default answers as soon as one record is there: the decision path's
   * hops. A consumer off that path (audit, cases) takes `OFF_PATH_FETCH`: the broker holds the fetch until
   * enough bytes are there or the wait is over, so one batch carries many records instead of one or two.
   */
  readonly fetch?: FetchSettings;
}

export interface FetchSettings {
  /** fetch.min.bytes: the broker answers once this much is there... */
  readonly minBytes: number;
  /** ...or once this long has passed (fetch.max.wait.ms). */
  readonly maxWaitMs: number;
}

/**
 * The decision path: answer at once (fetch.min.bytes 1). The wait bounds only an idle consumer's polling, and
 * 500 ms is Kafka's own default: more often costs CPU on every idle consumer and on the broker for nothing.
 */
export const ON_PATH_FETCH: FetchSettings = { minBytes: 1, maxWaitMs: 500 };

/**
 * Off the decision path (audit, cases): batches of up to a quarter of a second. At 100 decisions/s one fetch
 * brings about 25 records instead of one, and so one produce, one commit and one database transaction.
 */
export const OFF_PATH_FETCH: FetchSettings = { minBytes: 256 * 1024, maxWaitMs: 250 };

/** The consumer settings every Argus consumer shares; `extra` adds to them (e.g. a partition assigner). */
export function consumerConfig(groupId: string, extra: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    groupId,
    allowAutoTopicCreation: false,
    minBytes: ON_PATH_FETCH.minBytes,
    maxWaitTimeInMs: ON_PATH_FETCH.maxWaitMs,
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

/** How often a batch still being handled tells the group it is alive (the session times out at 30 s). */
const HEARTBEAT_WHILE_BUSY_MS = 1_000;
const RESTART_DELAY_MS = 1_000;

/** A partition's batch waiting for the others of its fetch. */
interface GatheredBatch {
  readonly payload: EachBatchPayload;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Batch consumer of one Avro topic with at-least-once delivery: a batch is decoded, handed to the handler,
 * its dead letters published, and only then are its offsets committed. A record that cannot be decoded goes
 * to the DLQ with the decode error's code; a transient failure (registry or broker down) throws, so kafkajs
 * retries the batch and nothing is committed or lost.
 *
 * kafkajs hands over one batch per partition, all the partitions of one fetch at the same moment. They are
 * gathered into one handler call — one produce, one Redis round trip, one model run, one database
 * transaction, one offset commit for the whole fetch — instead of one of each per partition: at ordinary rates
 * a partition's batch holds one or two records, and every hop paid its fixed price per partition.
 */
export class AvroBatchConsumer<K extends TopicKey> {
  private readonly consumer: Consumer;
  private stopping = false;
  private gathering: GatheredBatch[] | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    kafka: Kafka,
    private readonly serde: AvroSerde,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly settings: ConsumerSettings & { topic: K },
    private readonly logger: Logger,
  ) {
    const fetch = settings.fetch ?? ON_PATH_FETCH;
    this.consumer = kafka.consumer(
      consumerConfig(settings.groupId, {
        minBytes: fetch.minBytes,
        maxWaitTimeInMs: fetch.maxWaitMs,
        ...(settings.sessionTimeoutMs === undefined
          ? {}
          : { sessionTimeout: settings.sessionTimeoutMs, heartbeatInterval: 1_000 }),
      }),
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

  /**
   * Lets the batches being handled finish and commit, then leaves the group. kafkajs refuses a commit once
   * disconnect has begun, so the wait comes first; batches fetched meanwhile are left uncommitted, for the
   * partitions' next owner.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await new Promise((resolve) => setImmediate(resolve)); // batches gathered in this turn start their handling
    await Promise.allSettled([...this.inFlight]);
    await this.consumer.disconnect();
  }

  /**
   * Called by kafkajs once per partition, for every partition of a fetch in the same turn of the event loop:
   * the first schedules the handling of them all for the end of that turn (setImmediate), the others join it.
   * Each call resolves when its batch is committed, or rejects with the gathered batches' error, so kafkajs
   * fetches them again.
   */
  private processBatch(payload: EachBatchPayload, handler: BatchHandler<TopicValue<K>>): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || this.stopping || !payload.isRunning() || payload.isStale()) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      if (this.gathering === null) {
        this.gathering = [];
        setImmediate(() => {
          const gathered = this.gathering ?? [];
          this.gathering = null;
          const work = this.processGathered(gathered, handler).then(
            () => gathered.forEach((item) => item.resolve()),
            (error: unknown) => gathered.forEach((item) => item.reject(error)),
          );
          this.inFlight.add(work);
          void work.finally(() => this.inFlight.delete(work));
        });
      }
      this.gathering.push({ payload, resolve, reject });
    });
  }

  private async processGathered(gathered: readonly GatheredBatch[], handler: BatchHandler<TopicValue<K>>) {
    // A rebalance between the fetch and now takes a partition away: its batch is left to its new owner.
    const live = gathered.map((item) => item.payload).filter((payload) => payload.isRunning() && !payload.isStale());
    if (live.length === 0) return;
    const now = Date.now();
    const records: ConsumedRecord<TopicValue<K>>[] = [];
    const undecodable: DeadLetter[] = [];
    for (const { batch } of live) {
      const decoded = await decodeBatch(this.serde, this.deadLetters, this.settings.topic, batch, now);
      records.push(...decoded.records);
      undecodable.push(...decoded.undecodable);
    }
    const messages = live.reduce((sum, { batch }) => sum + batch.messages.length, 0);

    // A long batch (a slow handler, a large backlog) must not outlast the session: the group would move on and
    // the commit below fail. kafkajs sends a heartbeat only when one is due, so calling it often is cheap.
    const heartbeat = live[0]!.heartbeat;
    const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_WHILE_BUSY_MS);
    const outcome = await inSpan(
      `${live[0]!.batch.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        parent: records[0]?.trace,
        attributes: {
          'messaging.batch.message_count': messages,
          'messaging.kafka.partitions': live.map(({ batch }) => batch.partition).join(','),
        },
      },
      async () => (records.length > 0 ? handler(records) : undefined),
    ).finally(() => clearInterval(beat));
    await this.deadLetters.publish([...undecodable, ...(outcome?.deadLetters ?? [])]);

    const offsets = live.map(({ batch, resolveOffset }) => {
      const last = batch.lastOffset();
      resolveOffset(last);
      return { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() };
    });
    await this.consumer.commitOffsets(offsets);
    await heartbeat();
    this.logger.debug({ partitions: offsets.length, count: messages }, 'batch committed');
  }
}
