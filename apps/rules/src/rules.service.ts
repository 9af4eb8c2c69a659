import type { FeatureVector, RuleResult } from '@argus/contracts';
import { evaluateTransactionRules } from '@argus/decisioning';
import type { ConsumedRecord, KafkaRuntime } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import type { RuleSet } from '@argus/rules';
import type { WatchedFile } from '@argus/service-kit';

/**
 * Evaluates the transaction-phase rules in force on each feature vector (in parallel with scoring, which
 * reads the same topic) and publishes the hits. Score-phase rules run in the decision combiner.
 */
export class RulesService {
  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly ruleSet: WatchedFile<RuleSet>,
    private readonly logger: Logger,
  ) {}

  async onFeatures(records: readonly ConsumedRecord<FeatureVector>[]): Promise<void> {
    const results = records.map((record) => this.evaluate(record.value));
    await this.kafka.producer.send(
      'transactionsRuleResults',
      results.map((result) => ({ key: result.transaction.card_id, value: result })),
    );
  }

  evaluate(vector: FeatureVector): RuleResult {
    const ruleSet = this.ruleSet.value;
    const result = evaluateTransactionRules(ruleSet, vector, Date.now());
    for (const failure of result.rule_errors) {
      this.logger.warn(
        { transactionId: vector.transaction.transaction_id, ruleId: failure.rule_id, ruleSet: ruleSet.version },
        `rule could not be evaluated: ${failure.message}`,
      );
    }
    return result;
  }
}
