import type { TopicKey } from '@argus/contracts';
import { KafkaRuntime } from '@argus/kafka';
import { createLogger } from '@argus/logger';
import { loadStackSettings, stackUrls } from '@argus/testing';
import { maskPans } from '@argus/transaction';

/** A producer session against the local stack (or the brokers the stack settings point at). */
export async function openKafkaSession(topics: readonly TopicKey[]): Promise<KafkaRuntime> {
  const urls = stackUrls(loadStackSettings());
  const runtime = new KafkaRuntime({
    brokers: urls.kafkaBrokers,
    schemaRegistryUrl: urls.schemaRegistryUrl,
    service: 'cli',
    instanceId: String(process.pid),
    logger: createLogger({ service: 'argus-cli', level: 'warn', destination: 2 }),
    mask: maskPans,
  });
  await runtime.start(topics);
  return runtime;
}
