import type { TopicKey } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import { AvroSerde } from '@argus/schema-registry';
import type { Kafka } from 'kafkajs';
import { AvroBatchConsumer, type ConsumerSettings } from './avro-batch.consumer';
import { AvroProducer } from './avro.producer';
import { DeadLetterPublisher, type ByteMasker } from './dead-letter.publisher';
import { JoinedAvroConsumer, type JoinedConsumerSettings } from './joined.consumer';
import { createKafka } from './kafka.client';

export interface KafkaRuntimeSettings {
  readonly brokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** Service name: client id prefix and the `service` field of dead letters. */
  readonly service: string;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly mask: ByteMasker;
}

/**
 * Everything a Kafka service needs, built once: client, serde, one shared idempotent producer, the DLQ
 * publisher, and its consumers — started and stopped together, in the right order.
 */
export class KafkaRuntime {
  readonly kafka: Kafka;
  readonly serde: AvroSerde;
  readonly producer: AvroProducer;
  readonly deadLetters: DeadLetterPublisher;
  private readonly consumers: { stop(): Promise<void> }[] = [];

  constructor(private readonly settings: KafkaRuntimeSettings) {
    this.kafka = createKafka({
      brokers: settings.brokers,
      clientId: `argus-${settings.service}-${settings.instanceId}`,
      logger: settings.logger,
    });
    this.serde = new AvroSerde(settings.schemaRegistryUrl);
    this.producer = new AvroProducer(this.kafka, this.serde);
    this.deadLetters = new DeadLetterPublisher(this.producer, settings.service, settings.mask, settings.logger);
  }

  /** Registers the schemas of every topic this service reads or writes, then connects the producer. */
  async start(topics: readonly TopicKey[]): Promise<void> {
    await this.serde.registerTopics([...new Set<TopicKey>([...topics, 'transactionsDlq'])]);
    await this.producer.connect();
  }

  consumer<K extends TopicKey>(settings: ConsumerSettings & { topic: K }): AvroBatchConsumer<K> {
    const consumer = new AvroBatchConsumer(this.kafka, this.serde, this.deadLetters, settings, this.settings.logger);
    this.consumers.push(consumer);
    return consumer;
  }

  /** A consumer of co-partitioned topics whose records are acknowledged one by one (a join). */
  joinedConsumer<K extends TopicKey>(settings: JoinedConsumerSettings<K>): JoinedAvroConsumer<K> {
    const consumer = new JoinedAvroConsumer(this.kafka, this.serde, this.deadLetters, settings, this.settings.logger);
    this.consumers.push(consumer);
    return consumer;
  }

  /** Consumers first (their in-flight batch finishes and commits), then the producer. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.consumers.map((consumer) => consumer.stop()));
    await this.producer.disconnect();
  }
}
