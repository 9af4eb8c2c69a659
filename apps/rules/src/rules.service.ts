import type { NormalizedTransaction, RuleResult } from '@argus/contracts';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { buildRuleContext, evaluate, type RuleSet } from '@argus/rules';
import type { WatchedFile } from '@argus/service-kit';

/** Evaluates the rule set in force on each normalised transaction and publishes the hits. */
export class RulesService {
  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly ruleSet: WatchedFile<RuleSet>,
    private readonly logger: Logger,
  ) {}

  async onTransactions(records: readonly ConsumedRecord<NormalizedTransaction>[]): Promise<void> {
    const results = records.map((record) => this.evaluate(record.value));
    await this.kafka.producer.send(
      'transactionsRuleResults',
      results.map((result) => ({ key: result.transaction.card_id, value: result })),
    );
  }

  evaluate(transaction: NormalizedTransaction): RuleResult {
    const ruleSet = this.ruleSet.value;
    const started = process.hrtime.bigint();
    const evaluation = evaluate(ruleSet, buildRuleContext(transaction));
    const evaluationUs = Number((process.hrtime.bigint() - started) / 1000n);
    for (const failure of evaluation.errors) {
      this.logger.warn(
        { transactionId: transaction.transaction_id, ruleId: failure.rule_id, ruleSet: ruleSet.version },
        `rule could not be evaluated: ${failure.message}`,
      );
    }
    return {
      transaction,
      rule_set_version: ruleSet.version,
      hits: evaluation.hits.map((hit) => ({
        rule_id: hit.rule_id,
        action: hit.action,
        priority: hit.priority,
        reason: hit.reason,
      })),
      rule_errors: evaluation.errors.map((failure) => ({ rule_id: failure.rule_id, message: failure.message })),
      evaluated_at: Date.now(),
      evaluation_us: evaluationUs,
    };
  }
}
