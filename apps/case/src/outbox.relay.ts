import type { CaseStore, PendingOutboxMessage } from '@argus/case-store';
import type { TopicKey } from '@argus/contracts';
import type { AvroProducer, TopicBatch } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { OUTBOX_TOPICS } from '@argus/cases';

/**
 * Publishes the case outbox (case-events, ANALYST labels) to Kafka: woken after every change and on a timer,
 * one relay pass at a time. A failed publish leaves the rows for the next pass; a publish that succeeded but
 * whose marking failed is repeated, and consumers de-duplicate on the records' ids.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: CaseStore,
    private readonly producer: AvroProducer,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs a pass now, or right after the one in progress. */
  wake(): void {
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while ((await this.store.relayOutbox((messages) => this.publish(messages), { topics: OUTBOX_TOPICS })) > 0);
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox relay pass failed; the records wait for the next pass');
    }
  }

  private async publish(messages: readonly PendingOutboxMessage[]): Promise<void> {
    const byTopic = new Map<TopicKey, TopicBatch['records'][number][]>();
    for (const message of messages) {
      const topic = message.topic as TopicKey;
      const records = byTopic.get(topic) ?? [];
      records.push({ key: message.key, value: message.payload as never });
      byTopic.set(topic, records);
    }
    await this.producer.sendMany([...byTopic].map(([topic, records]) => ({ topic, records })));
  }
}
