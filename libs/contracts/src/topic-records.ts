import type { AvroRecordTypes } from './generated/contracts';
import { Topics, type TopicKey } from './topics';

/** The TypeScript type carried as the value of a topic, e.g. `TopicValue<'decisions'>` is `Decision`. */
export type TopicValue<K extends TopicKey> = (typeof Topics)[K]['valueRecord'] extends keyof AvroRecordTypes
  ? AvroRecordTypes[(typeof Topics)[K]['valueRecord']]
  : never;

/** Subject under which a topic's value schema is registered (Confluent TopicNameStrategy). */
export function valueSubject(topicName: string): string {
  return `${topicName}-value`;
}
