import { linkEntries } from '@argus/audit-chain';
import type { AuditStore } from '@argus/audit-store';
import type { Decision } from '@argus/contracts';
import type { ConsumedRecord } from '@argus/kafka';
import type { Logger } from '@argus/logger';

/**
 * Appends every decision to the hash-chained audit log, one database transaction per Kafka batch. A
 * redelivered decision is recognised by (transaction id, event type) and not written twice.
 */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly logger: Logger,
  ) {}

  async onDecisions(records: readonly ConsumedRecord<Decision>[]): Promise<void> {
    const recordedAt = Date.now();
    const { inserted, duplicates } = await this.store.append(
      records.map(({ value }) => ({
        event_type: 'DECISION',
        transaction_id: value.transaction_id,
        card_id: value.card_id,
        occurred_at: value.timings.decided_at,
        recorded_at: recordedAt,
        payload: value,
      })),
      linkEntries,
    );
    if (duplicates > 0) this.logger.info({ inserted, duplicates }, 'redelivered decisions already audited');
  }
}
