import type { Decision, RuleResult } from '@argus/contracts';
import { decide, type DecisionPolicy } from '@argus/decision';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { ClaimResult, type IdempotencyGuard } from '@argus/redis';
import type { WatchedFile } from '@argus/service-kit';

/**
 * Turns rule results into decisions through the policy in force, once per transaction: a transaction id
 * decided before (from another record) is not decided again; a redelivery of the same record is re-published.
 */
export class CombinerService {
  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly policy: WatchedFile<DecisionPolicy>,
    private readonly decided: IdempotencyGuard,
    private readonly logger: Logger,
  ) {}

  async onRuleResults(records: readonly ConsumedRecord<RuleResult>[]): Promise<void> {
    const claims = await this.decided.claim(
      records.map((record) => ({
        id: record.value.transaction.transaction_id,
        origin: `${record.topic}/${record.partition}/${record.offset}`,
      })),
    );
    const decisions: Decision[] = [];
    records.forEach((record, index) => {
      if (claims[index] === ClaimResult.DUPLICATE) {
        this.logger.info({ transactionId: record.value.transaction.transaction_id }, 'already decided; skipped');
        return;
      }
      decisions.push(this.decide(record.value));
    });
    await this.kafka.producer.send(
      'decisions',
      decisions.map((decision) => ({ key: decision.card_id, value: decision })),
    );
  }

  decide(result: RuleResult): Decision {
    return decide(this.policy.value, {
      transaction: result.transaction,
      ruleSetVersion: result.rule_set_version,
      hits: result.hits,
      ruleErrors: result.rule_errors,
      score: null,
      now: Date.now(),
    });
  }
}
