import {
  caseEventAuditEntry,
  decisionAuditEntry,
  labelAuditEntry,
  linkEntries,
  stepUpAuditEntry,
  type AuditEntryInput,
} from '@argus/audit-chain';
import type { AuditStore } from '@argus/audit-store';
import type { TopicKey, TopicValue } from '@argus/contracts';
import type { ConsumedRecord } from '@argus/kafka';
import type { Logger } from '@argus/logger';

/** The topics the audit log records, and what each record becomes in the chain. */
export const AUDITED = {
  decisions: decisionAuditEntry,
  labels: labelAuditEntry,
  stepUpResults: stepUpAuditEntry,
  caseEvents: caseEventAuditEntry,
} as const satisfies { [K in TopicKey]?: (value: TopicValue<K>, recordedAt: number) => AuditEntryInput };

export type AuditedTopic = keyof typeof AUDITED;

/**
 * Appends every decision, label, step-up result and case action to the hash-chained audit log, one
 * database transaction per Kafka batch. A redelivered event is recognised by its event key and not written
 * twice.
 */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly logger: Logger,
  ) {}

  async onRecords<K extends AuditedTopic>(topic: K, records: readonly ConsumedRecord<TopicValue<K>>[]): Promise<void> {
    const recordedAt = Date.now();
    const toEntry = AUDITED[topic] as (value: TopicValue<K>, recordedAt: number) => AuditEntryInput;
    const { inserted, duplicates } = await this.store.append(
      records.map(({ value }) => toEntry(value, recordedAt)),
      linkEntries,
    );
    if (duplicates > 0) this.logger.info({ topic, inserted, duplicates }, 'redelivered events already audited');
  }
}
