import type { TopicSpec } from '@argus/contracts';
import type { Logger } from '@argus/logger';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { waitFor } from '../wait-for.helper';
import { describeError, StackError, StackErrorCode } from './stack.errors';

export interface TopicPlan {
  readonly create: readonly TopicSpec[];
  /** Topics that exist with fewer partitions than the registry asks for (partitions can only grow). */
  readonly grow: ReadonlyArray<{ readonly topic: TopicSpec; readonly from: number }>;
  readonly unchanged: readonly string[];
}

/** What to do to make the broker match the topic registry; existing topics are otherwise left alone. */
export function planTopics(wanted: readonly TopicSpec[], existing: ReadonlyMap<string, number>): TopicPlan {
  const create: TopicSpec[] = [];
  const grow: Array<{ topic: TopicSpec; from: number }> = [];
  const unchanged: string[] = [];
  for (const topic of wanted) {
    const partitions = existing.get(topic.name);
    if (partitions === undefined) create.push(topic);
    else if (partitions < topic.partitions) grow.push({ topic, from: partitions });
    else unchanged.push(topic.name);
  }
  return { create, grow, unchanged };
}

const LEADERS_TIMEOUT_MS = 30_000;

/** Until every partition of the given topics has a leader, producers and consumers would get errors. */
async function waitForPartitionLeaders(admin: Admin, topics: readonly TopicSpec[]): Promise<void> {
  if (topics.length === 0) return;
  let last = 'no metadata yet';
  try {
    await waitFor(
      async () => {
        try {
          const metadata = await admin.fetchTopicMetadata({ topics: topics.map((topic) => topic.name) });
          const byName = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions]));
          return topics.every((topic) => {
            const partitions = byName.get(topic.name) ?? [];
            return partitions.length >= topic.partitions && partitions.every((partition) => partition.leader >= 0);
          });
        } catch (error) {
          last = describeError(error);
          return false;
        }
      },
      { timeoutMs: LEADERS_TIMEOUT_MS, intervalMs: 100, description: 'partition leaders of the new topics' },
    );
  } catch (error) {
    throw new StackError(StackErrorCode.TopicProvisioningFailed, `${describeError(error)} (last: ${last})`, {
      cause: error,
    });
  }
}

/** Creates the topics of `@argus/contracts` that are missing and adds partitions where there are too few. */
export async function provisionTopics(
  brokers: string[],
  topics: readonly TopicSpec[],
  logger: Logger,
): Promise<TopicPlan> {
  const kafka = new Kafka({
    clientId: 'argus-stack-topics',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata();
    const existing = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    const plan = planTopics(topics, existing);
    if (plan.create.length > 0) {
      await admin.createTopics({
        // kafkajs's own wait gives up on UNKNOWN_TOPIC_OR_PARTITION, which a Kafka 4 broker answers for a
        // moment after creating a topic: wait for the leaders ourselves.
        waitForLeaders: false,
        topics: plan.create.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: 1,
          configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
        })),
      });
      logger.info({ topics: plan.create.map((topic) => topic.name) }, `created ${plan.create.length} topic(s)`);
    }
    if (plan.grow.length > 0) {
      await admin.createPartitions({
        topicPartitions: plan.grow.map(({ topic }) => ({ topic: topic.name, count: topic.partitions })),
      });
      logger.info(
        { topics: plan.grow.map(({ topic, from }) => `${topic.name}: ${from} → ${topic.partitions}`) },
        `added partitions to ${plan.grow.length} topic(s)`,
      );
    }
    await waitForPartitionLeaders(admin, [...plan.create, ...plan.grow.map(({ topic }) => topic)]);
    return plan;
  } catch (error) {
    throw new StackError(
      StackErrorCode.TopicProvisioningFailed,
      `creating Kafka topics failed: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
