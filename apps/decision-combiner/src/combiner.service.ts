import type { Decision, RuleResult, Score } from '@argus/contracts';
import { combine, ScoreJoin, type Joined } from '@argus/decisioning';
import type { DecisionPolicy } from '@argus/decision';
import type { ConsumedRecord, KafkaRuntime, RecordAcknowledger } from '@argus/kafka';
import type { Logger } from '@argus/logger';
import { ClaimResult, type IdempotencyGuard } from '@argus/redis';
import type { RuleSet } from '@argus/rules';
import type { WatchedFile } from '@argus/service-kit';
import { metrics } from '@opentelemetry/api';

const meter = metrics.getMeter('argus-decision-combiner');
const decisionCounter = meter.createCounter('argus.combiner.decisions', {
  description: 'Decisions published, by outcome and score status (joined, timeout, no_model)',
});

export interface CombinerCounters {
  decided: number;
  /** Decided on rules alone because the score did not come within the budget. */
  score_timeout: number;
  /** Decided on rules alone because no model was serving. */
  model_unavailable: number;
  duplicates_skipped: number;
  late_scores: number;
  orphaned_scores: number;
  /** Batches whose de-duplication was skipped because Redis was unavailable (fail open). */
  guard_unavailable: number;
}

export interface CombinerOptions {
  readonly scoreWaitMs: number;
  readonly scoreTtlMs: number;
  readonly guardTimeoutMs: number;
}

type RuleRecord = ConsumedRecord<RuleResult>;
type ScoreRecord = ConsumedRecord<Score>;

/**
 * Joins each transaction's rule result with its model score (`transactions.rule-results` ⋈
 * `transactions.scores`, co-partitioned by card id), decides with `combine` (score rules, then the policy)
 * and publishes one decision per transaction. A rule result waits at most `scoreWaitMs` for its score; a
 * NO_MODEL score decides at once. Records are acknowledged (their offsets committable) only once the decision
 * they took part in is on the broker.
 */
export class CombinerService {
  readonly counters: CombinerCounters = {
    decided: 0,
    score_timeout: 0,
    model_unavailable: 0,
    duplicates_skipped: 0,
    late_scores: 0,
    orphaned_scores: 0,
    guard_unavailable: 0,
  };
  private readonly join: ScoreJoin<RuleRecord, ScoreRecord>;
  private ready: Joined<RuleRecord, ScoreRecord>[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private ack: RecordAcknowledger | undefined;

  constructor(
    private readonly kafka: KafkaRuntime,
    private readonly policy: WatchedFile<DecisionPolicy>,
    private readonly ruleSet: WatchedFile<RuleSet>,
    private readonly decided: IdempotencyGuard,
    private readonly options: CombinerOptions,
    private readonly logger: Logger,
  ) {
    this.join = new ScoreJoin<RuleRecord, ScoreRecord>(
      { scoreWaitMs: options.scoreWaitMs, scoreTtlMs: options.scoreTtlMs, decidedMemoryMs: 10 * 60_000 },
      {
        ready: (joined) => this.enqueue(joined),
        dropped: (score, why) => {
          if (why === 'late') this.counters.late_scores += 1;
          else this.counters.orphaned_scores += 1;
          this.ack?.done(score);
        },
      },
    );
  }

  get waiting(): { ruleResults: number; scores: number } {
    return this.join.waiting;
  }

  onRuleResults(records: readonly RuleRecord[], ack: RecordAcknowledger): void {
    this.ack = ack;
    for (const record of records) this.join.addRuleResult(record.value.transaction.transaction_id, record);
  }

  onScores(records: readonly ScoreRecord[], ack: RecordAcknowledger): void {
    this.ack = ack;
    for (const record of records) this.join.addScore(record.value.transaction_id, record);
  }

  /** The group rebalanced: what was waiting will be fetched again by whoever owns it now. */
  onRebalance(): void {
    this.join.clear();
  }

  /** Waits for the decisions already handed over to be published. */
  async drain(): Promise<void> {
    while (this.ready.length > 0 || this.flushScheduled) {
      this.flush();
      await this.flushing;
    }
    await this.flushing;
  }

  private enqueue(joined: Joined<RuleRecord, ScoreRecord>): void {
    this.ready.push(joined);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything that became ready in this turn of the event loop (a fetched batch) goes in one send.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.ready.length === 0) return;
    const batch = this.ready;
    this.ready = [];
    this.flushing = this.flushing.then(() => this.publish(batch));
  }

  private async publish(batch: readonly Joined<RuleRecord, ScoreRecord>[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.publishOnce(batch);
        return;
      } catch (error) {
        // The broker is unavailable: keep the decisions (nothing was acknowledged) and try again.
        this.logger.error({ err: error, count: batch.length, attempt }, 'publishing decisions failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
      }
    }
  }

  private async publishOnce(batch: readonly Joined<RuleRecord, ScoreRecord>[]): Promise<void> {
    const { results, error } = await this.decided.claimOrAssumeNew(
      batch.map(({ transactionId, ruleResult }) => ({
        id: transactionId,
        origin: `${ruleResult.topic}/${ruleResult.partition}/${ruleResult.offset}`,
      })),
      this.options.guardTimeoutMs,
    );
    if (error !== null) {
      this.counters.guard_unavailable += 1;
      this.logger.warn(
        { err: error, count: batch.length },
        'decided-guard unavailable: deciding without de-duplication',
      );
    }
    const decisions: Decision[] = [];
    batch.forEach((joined, index) => {
      if (results[index] === ClaimResult.DUPLICATE) {
        this.counters.duplicates_skipped += 1;
        this.logger.info({ transactionId: joined.transactionId }, 'already decided; skipped');
        return;
      }
      decisions.push(this.decide(joined));
    });
    await this.kafka.producer.send(
      'decisions',
      decisions.map((decision) => ({ key: decision.card_id, value: decision })),
    );
    for (const joined of batch) {
      this.ack?.done(joined.ruleResult);
      if (joined.score !== null) this.ack?.done(joined.score);
    }
  }

  private decide(joined: Joined<RuleRecord, ScoreRecord>): Decision {
    const score = joined.score?.value ?? null;
    const decision = combine({
      policy: this.policy.value,
      ruleSet: this.ruleSet.value,
      ruleResult: joined.ruleResult.value,
      score,
      now: Date.now(),
    });
    this.counters.decided += 1;
    const status = score === null ? 'timeout' : score.status === 'NO_MODEL' ? 'no_model' : 'joined';
    if (status === 'timeout') this.counters.score_timeout += 1;
    if (status === 'no_model') this.counters.model_unavailable += 1;
    decisionCounter.add(1, { outcome: decision.outcome, score: status });
    return decision;
  }
}
