export interface ScoreJoinOptions {
  /** How long a rule result waits for its score (ms) before the rules decide alone (SCORE_TIMEOUT). */
  readonly scoreWaitMs: number;
  /** How long a score waits for its rule result (ms) before it is dropped as orphaned. */
  readonly scoreTtlMs: number;
  /** How long a decided transaction id is remembered, so that its late score is recognised at once (ms). */
  readonly decidedMemoryMs: number;
  readonly now?: () => number;
}

/** A transaction's two halves, joined, or its rule result alone when the score did not come in time. */
export interface Joined<R, S> {
  readonly transactionId: string;
  readonly ruleResult: R;
  readonly score: S | null;
}

export interface ScoreJoinEvents<R, S> {
  /** Both halves are here, or the rule result waited `scoreWaitMs`. */
  ready(joined: Joined<R, S>): void;
  /** A score whose rule result was already decided without it, or never came. */
  dropped(score: S, why: 'late' | 'orphaned'): void;
}

/**
 * Joins each transaction's rule result with its model score (the decision combiner's state, in memory per
 * partition owner). A rule result never waits longer than the budget: payments are not held for a slow
 * model. Timers are per waiting entry; the caller decides, publishes and acknowledges what `ready` gives.
 */
export class ScoreJoin<R, S> {
  private readonly rules = new Map<string, { ruleResult: R; timer: NodeJS.Timeout }>();
  private readonly scores = new Map<string, { score: S; timer: NodeJS.Timeout }>();
  private readonly decided = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly options: ScoreJoinOptions,
    private readonly events: ScoreJoinEvents<R, S>,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Rule results waiting for a score, and scores waiting for a rule result. */
  get waiting(): { ruleResults: number; scores: number } {
    return { ruleResults: this.rules.size, scores: this.scores.size };
  }

  addRuleResult(transactionId: string, ruleResult: R): void {
    const score = this.scores.get(transactionId);
    if (score !== undefined) {
      clearTimeout(score.timer);
      this.scores.delete(transactionId);
      this.emit(transactionId, ruleResult, score.score);
      return;
    }
    const previous = this.rules.get(transactionId);
    if (previous !== undefined) clearTimeout(previous.timer); // a redelivery: it replaces the copy waiting
    const timer = setTimeout(() => {
      this.rules.delete(transactionId);
      this.emit(transactionId, ruleResult, null);
    }, this.options.scoreWaitMs);
    this.rules.set(transactionId, { ruleResult, timer });
  }

  addScore(transactionId: string, score: S): void {
    const rule = this.rules.get(transactionId);
    if (rule !== undefined) {
      clearTimeout(rule.timer);
      this.rules.delete(transactionId);
      this.emit(transactionId, rule.ruleResult, score);
      return;
    }
    if (this.wasDecided(transactionId)) {
      this.events.dropped(score, 'late');
      return;
    }
    const previous = this.scores.get(transactionId);
    if (previous !== undefined) {
      clearTimeout(previous.timer);
      this.events.dropped(previous.score, 'orphaned');
    }
    const timer = setTimeout(() => {
      this.scores.delete(transactionId);
      this.events.dropped(score, 'orphaned');
    }, this.options.scoreTtlMs);
    this.scores.set(transactionId, { score, timer });
  }

  /** Forgets everything waiting (the group rebalanced: unacknowledged records will be fetched again). */
  clear(): void {
    for (const { timer } of this.rules.values()) clearTimeout(timer);
    for (const { timer } of this.scores.values()) clearTimeout(timer);
    this.rules.clear();
    this.scores.clear();
  }

  private emit(transactionId: string, ruleResult: R, score: S | null): void {
    this.remember(transactionId);
    this.events.ready({ transactionId, ruleResult, score });
  }

  private remember(transactionId: string): void {
    const now = this.now();
    this.decided.set(transactionId, now + this.options.decidedMemoryMs);
    // Entries are in insertion (= expiry) order: drop the expired ones from the front.
    for (const [id, expiresAt] of this.decided) {
      if (expiresAt > now) break;
      this.decided.delete(id);
    }
  }

  private wasDecided(transactionId: string): boolean {
    const expiresAt = this.decided.get(transactionId);
    return expiresAt !== undefined && expiresAt > this.now();
  }
}
