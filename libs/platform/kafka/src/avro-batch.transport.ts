import { Topics, type TopicKey } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { BatchOutcome, ConsumedRecord, ConsumerSettings } from './avro-batch.consumer';
import type { KafkaRuntime } from './kafka.runtime';

/** What a handler's `@EventPattern(topic, extras)` may say about its consumer. */
export interface AvroBatchPatternExtras {
  /** Consumer group; default `<groupPrefix>-<topic name>`. */
  readonly group?: string;
  readonly concurrency?: number;
}

/**
 * Imported as `@argus/kafka/nest`, not from the library's index: @nestjs/microservices is an ES module that
 * services load and Jest's module runtime cannot, so the rest of @argus/kafka stays free of it.
 *
 * A NestJS microservices transport over Argus's Avro batch consumer. Each `@EventPattern('<topic key>')`
 * handler gets a consumer of that topic, in its own group, and is called with a decoded batch
 * (`ConsumedRecord[]`); the offsets are committed only after its promise resolves, and the dead letters it
 * returns are published first. Batching, decoding, dead-lettering and commit-after-processing stay those of
 * AvroBatchConsumer; Nest brings the handlers, their dependency injection, guards and interceptors.
 */
export class AvroBatchTransport extends Server implements CustomTransportStrategy {
  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly groupPrefix: string,
    private readonly log: Logger,
    private readonly defaults: Pick<ConsumerSettings, 'fetch'> = {},
  ) {
    super();
  }

  /** The topic keys the handlers subscribe to (register their schemas before `listen`). */
  topics(): TopicKey[] {
    return [...this.messageHandlers.keys()].map((pattern) => topicOf(pattern));
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        const topic = topicOf(pattern);
        const extras = (handler.extras ?? {}) as AvroBatchPatternExtras;
        const groupId = extras.group ?? `${this.groupPrefix}-${Topics[topic].name}`;
        await this.runtime
          .consumer({ groupId, topic, concurrency: extras.concurrency, fetch: this.defaults.fetch })
          .start((records) => this.handle(handler, records));
        this.log.info({ topic: Topics[topic].name, groupId }, 'consuming');
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** The consumers stop with the KafkaRuntime (the module's shutdown), which drains and commits them. */
  close(): void {}

  on(): void {
    throw new Error('AvroBatchTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.runtime as T;
  }

  private async handle(
    handler: MessageHandler,
    records: readonly ConsumedRecord<unknown>[],
  ): Promise<BatchOutcome | void> {
    const result: unknown = await lastValueFrom(this.transformToObservable(await handler(records)), {
      defaultValue: undefined,
    });
    return (result ?? undefined) as BatchOutcome | void;
  }
}

function topicOf(pattern: string): TopicKey {
  // Nest normalises a string pattern to itself; a topic key is all a handler may name.
  if (!(pattern in Topics)) throw new Error(`@EventPattern('${pattern}') names no topic of the topic registry`);
  return pattern as TopicKey;
}
