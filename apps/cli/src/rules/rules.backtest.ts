import { readFileSync } from 'node:fs';
import type { Outcome, RuleAction } from '@argus/contracts';
import { parsePolicy } from '@argus/decision';
import {
  buildRuleContext,
  parseRuleSet,
  type CompiledRule,
  type RuleEvaluation,
  type RulePhase,
  type RuleSet,
} from '@argus/rules';
import {
  featureRecord,
  replayHistory,
  rulesOnlyDecision,
  type HistoryReplayOptions,
} from '../backfill/backfill.runner';

/** What the comparison needs of a rule; a CompiledRule has it all. */
export type BacktestRule = Pick<CompiledRule, 'id' | 'when' | 'action' | 'priority' | 'enabled' | 'phase'>;

export type RuleStatus = 'new' | 'changed' | 'unchanged' | 'removed';
export type RuleChange = 'condition' | 'action' | 'priority' | 'enabled';

export interface RuleComparison {
  readonly id: string;
  readonly status: RuleStatus;
  /** What differs from the current rule of the same id (empty unless `changed`). */
  readonly changes: readonly RuleChange[];
  /** The candidate's rule, or the current one when removed. */
  readonly rule: BacktestRule;
  readonly candidate: BacktestRule | null;
  readonly current: BacktestRule | null;
}

/** What one rule set made of one transaction. */
export interface SetObservation {
  readonly outcome: Outcome;
  /** Ids of the rules that fired. */
  readonly fired: readonly string[];
  /** Ids of the rules whose condition failed at run time (they did not fire). */
  readonly errored: readonly string[];
}

/** One transaction of the history as both sets saw it, with its final label. */
export interface BacktestObservation {
  readonly fraud: boolean;
  readonly candidate: SetObservation;
  readonly current: SetObservation;
}

/** A rule's record over the history. Ratios are null when their denominator is zero. */
export interface RuleFigures {
  readonly hits: number;
  /** hits / transactions */
  readonly hit_rate: number | null;
  readonly fraud_hits: number;
  /** fraud_hits / hits */
  readonly precision: number | null;
  /** fraud_hits / all fraud: the share of the history's fraud this rule fired on. */
  readonly fraud_share: number | null;
  /** Transactions on which the condition failed at run time. */
  readonly errors: number;
}

export interface RuleBacktest {
  readonly id: string;
  readonly status: RuleStatus;
  readonly changes: readonly RuleChange[];
  /** The candidate's action and phase (the current rule's for a removed one). */
  readonly action: RuleAction;
  readonly phase: RulePhase;
  readonly enabled: boolean;
  /** Why the rule (the candidate's, or the current one when removed) has no figures: score phase, disabled. */
  readonly note: string | null;
  readonly candidate: RuleFigures | null;
  /** The figures of the current rule of the same id, for comparison; null for a new rule. */
  readonly current: RuleFigures | null;
}

/** A set's rules-only outcomes over the history. "Flagged" is REVIEW or BLOCK. */
export interface SetBacktest {
  readonly approve: number;
  readonly review: number;
  readonly review_rate: number | null;
  readonly block: number;
  readonly block_rate: number | null;
  readonly flagged: number;
  readonly flagged_rate: number | null;
  /** Fraud among the flagged. */
  readonly precision: number | null;
  /** Flagged fraud / all fraud. */
  readonly recall: number | null;
  readonly fraud_caught: number;
  /** Legitimate transactions (not labelled fraud) reviewed or blocked. */
  readonly good_impacted: number;
  /** good_impacted / legitimate transactions. */
  readonly good_impacted_rate: number | null;
  /** Rule conditions that failed at run time, summed over rules and transactions. */
  readonly rule_errors: number;
}

export interface OutcomeChange {
  readonly from: Outcome;
  readonly to: Outcome;
  readonly transactions: number;
  readonly fraud: number;
}

export interface OutcomeChanges {
  readonly transactions: number;
  readonly fraud: number;
  /** Most transactions first. */
  readonly by_pair: readonly OutcomeChange[];
}

export interface BacktestSummary {
  readonly transactions: number;
  readonly fraud: number;
  readonly rules: readonly RuleBacktest[];
  readonly sets: { readonly candidate: SetBacktest; readonly current: SetBacktest };
  readonly changes: OutcomeChanges;
}

export const SCORE_PHASE_NOTE = 'needs a model score: not backtested';
export const DISABLED_NOTE = 'disabled: not evaluated';

const OUTCOMES: readonly Outcome[] = ['APPROVE', 'REVIEW', 'BLOCK'];

/** Whitespace is layout (a `|` block versus one line), not a change of condition. */
function sameCondition(a: string, b: string): boolean {
  const canonical = (text: string) => text.trim().replace(/\s+/g, ' ');
  return canonical(a) === canonical(b);
}

/**
 * Matches the candidate's rules to the current ones by id: the candidate's in its evaluation order, then the
 * current rules the candidate no longer has.
 */
export function compareRules(candidate: readonly BacktestRule[], current: readonly BacktestRule[]): RuleComparison[] {
  const currentById = new Map(current.map((rule) => [rule.id, rule]));
  const candidateIds = new Set(candidate.map((rule) => rule.id));
  const compared = candidate.map((rule): RuleComparison => {
    const before = currentById.get(rule.id);
    if (before === undefined) return { id: rule.id, status: 'new', changes: [], rule, candidate: rule, current: null };
    const changes: RuleChange[] = [];
    if (!sameCondition(rule.when, before.when)) changes.push('condition');
    if (rule.action !== before.action) changes.push('action');
    if (rule.priority !== before.priority) changes.push('priority');
    if (rule.enabled !== before.enabled) changes.push('enabled');
    const status = changes.length > 0 ? 'changed' : 'unchanged';
    return { id: rule.id, status, changes, rule, candidate: rule, current: before };
  });
  const removed = current
    .filter((rule) => !candidateIds.has(rule.id))
    .map((rule): RuleComparison => ({
      id: rule.id,
      status: 'removed',
      changes: [],
      rule,
      candidate: null,
      current: rule,
    }));
  return [...compared, ...removed];
}

interface Counts {
  hits: number;
  fraudHits: number;
  errors: number;
}

class SetTally {
  readonly outcomes: Record<Outcome, { transactions: number; fraud: number }> = {
    APPROVE: { transactions: 0, fraud: 0 },
    REVIEW: { transactions: 0, fraud: 0 },
    BLOCK: { transactions: 0, fraud: 0 },
  };
  readonly rules = new Map<string, Counts>();
  ruleErrors = 0;

  add(observation: SetObservation, fraud: boolean): void {
    const outcome = this.outcomes[observation.outcome];
    outcome.transactions += 1;
    if (fraud) outcome.fraud += 1;
    for (const id of observation.fired) {
      const counts = this.counts(id);
      counts.hits += 1;
      if (fraud) counts.fraudHits += 1;
    }
    for (const id of observation.errored) this.counts(id).errors += 1;
    this.ruleErrors += observation.errored.length;
  }

  counts(id: string): Counts {
    let counts = this.rules.get(id);
    if (counts === undefined) {
      counts = { hits: 0, fraudHits: 0, errors: 0 };
      this.rules.set(id, counts);
    }
    return counts;
  }
}

/** Accumulates observations one transaction at a time, so a history of any length is never held whole. */
export class BacktestTally {
  transactions = 0;
  fraud = 0;
  readonly candidate = new SetTally();
  readonly current = new SetTally();
  /** `FROM→TO` → transactions and fraud whose outcome differs between the sets. */
  readonly changes = new Map<string, { from: Outcome; to: Outcome; transactions: number; fraud: number }>();

  add(observation: BacktestObservation): void {
    this.transactions += 1;
    if (observation.fraud) this.fraud += 1;
    this.candidate.add(observation.candidate, observation.fraud);
    this.current.add(observation.current, observation.fraud);
    const from = observation.current.outcome;
    const to = observation.candidate.outcome;
    if (from === to) return;
    const key = `${from}→${to}`;
    let change = this.changes.get(key);
    if (change === undefined) {
      change = { from, to, transactions: 0, fraud: 0 };
      this.changes.set(key, change);
    }
    change.transactions += 1;
    if (observation.fraud) change.fraud += 1;
  }
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function ruleFigures(tally: BacktestTally, counts: Counts | undefined): RuleFigures {
  const { hits, fraudHits, errors } = counts ?? { hits: 0, fraudHits: 0, errors: 0 };
  return {
    hits,
    hit_rate: ratio(hits, tally.transactions),
    fraud_hits: fraudHits,
    precision: ratio(fraudHits, hits),
    fraud_share: ratio(fraudHits, tally.fraud),
    errors,
  };
}

/** The figures of a rule as evaluated, or why there are none: only enabled transaction-phase rules ran. */
function evaluated(
  rule: BacktestRule | null,
  set: SetTally,
  tally: BacktestTally,
): { figures: RuleFigures | null; note: string | null } {
  if (rule === null) return { figures: null, note: null };
  if (rule.phase === 'score') return { figures: null, note: SCORE_PHASE_NOTE };
  if (!rule.enabled) return { figures: null, note: DISABLED_NOTE };
  return { figures: ruleFigures(tally, set.rules.get(rule.id)), note: null };
}

function setFigures(set: SetTally, tally: BacktestTally): SetBacktest {
  const { APPROVE: approve, REVIEW: review, BLOCK: block } = set.outcomes;
  const flagged = review.transactions + block.transactions;
  const fraudCaught = review.fraud + block.fraud;
  const goodImpacted = flagged - fraudCaught;
  return {
    approve: approve.transactions,
    review: review.transactions,
    review_rate: ratio(review.transactions, tally.transactions),
    block: block.transactions,
    block_rate: ratio(block.transactions, tally.transactions),
    flagged,
    flagged_rate: ratio(flagged, tally.transactions),
    precision: ratio(fraudCaught, flagged),
    recall: ratio(fraudCaught, tally.fraud),
    fraud_caught: fraudCaught,
    good_impacted: goodImpacted,
    good_impacted_rate: ratio(goodImpacted, tally.transactions - tally.fraud),
    rule_errors: set.ruleErrors,
  };
}

/** Per rule, per set and per outcome change: everything the report prints, from the tally and the two sets. */
export function summariseBacktest(
  tally: BacktestTally,
  candidate: readonly BacktestRule[],
  current: readonly BacktestRule[],
): BacktestSummary {
  const rules = compareRules(candidate, current).map((comparison): RuleBacktest => {
    const mine = evaluated(comparison.candidate, tally.candidate, tally);
    const theirs = evaluated(comparison.current, tally.current, tally);
    return {
      id: comparison.id,
      status: comparison.status,
      changes: comparison.changes,
      action: comparison.rule.action,
      phase: comparison.rule.phase,
      enabled: comparison.rule.enabled,
      note: comparison.candidate === null ? theirs.note : mine.note,
      candidate: mine.figures,
      current: theirs.figures,
    };
  });
  const severity = (outcome: Outcome) => OUTCOMES.indexOf(outcome);
  const byPair = [...tally.changes.values()]
    .map((change): OutcomeChange => ({ ...change }))
    .sort(
      (a, b) =>
        b.transactions - a.transactions || severity(a.from) - severity(b.from) || severity(a.to) - severity(b.to),
    );
  return {
    transactions: tally.transactions,
    fraud: tally.fraud,
    rules,
    sets: { candidate: setFigures(tally.candidate, tally), current: setFigures(tally.current, tally) },
    changes: {
      transactions: byPair.reduce((sum, change) => sum + change.transactions, 0),
      fraud: byPair.reduce((sum, change) => sum + change.fraud, 0),
      by_pair: byPair,
    },
  };
}

export interface RulesBacktestOptions extends HistoryReplayOptions {
  readonly candidateFile: string;
  readonly currentFile: string;
  readonly policyFile: string;
}

export interface RuleSetInfo {
  readonly file: string;
  readonly version: string;
  readonly rules: number;
  readonly transaction_phase: number;
  readonly score_phase: number;
}

export interface RulesBacktestReport extends BacktestSummary {
  readonly history: {
    readonly file: string;
    readonly format: string;
    readonly labels: string | null;
    readonly rejected: readonly { line: number; reason: string }[];
    /** Transactions with a label in the history (the others count as legitimate). */
    readonly labelled: number;
  };
  readonly candidate: RuleSetInfo;
  readonly current: RuleSetInfo;
  /** `version` is the policy's stamp, `<name>@<version>+<hash>`. */
  readonly policy: { readonly file: string; readonly version: string };
  readonly seconds: number;
}

export function readRuleSet(file: string): RuleSet {
  return parseRuleSet(readFileSync(file, 'utf8'), file);
}

export function ruleSetInfo(file: string, ruleSet: RuleSet): RuleSetInfo {
  const transactionPhase = ruleSet.rules.filter((rule) => rule.phase === 'transaction').length;
  return {
    file,
    version: ruleSet.version,
    rules: ruleSet.rules.length,
    transaction_phase: transactionPhase,
    score_phase: ruleSet.rules.length - transactionPhase,
  };
}

function observe(outcome: Outcome, evaluation: RuleEvaluation): SetObservation {
  return {
    outcome,
    fired: evaluation.hits.map((hit) => hit.rule_id),
    errored: evaluation.errors.map((error) => error.rule_id),
  };
}

/**
 * Backtests a candidate rule set against the current one on a labelled history: the history is replayed as
 * `argus backfill` replays it (same timeline, same in-memory feature state, same features), both sets decide
 * every transaction through the policy with no model score (as the backfill's `rules_action`), and each
 * decision is scored against the transaction's final label. Score-phase rules cannot run without a score.
 */
export async function runRulesBacktest(options: RulesBacktestOptions): Promise<RulesBacktestReport> {
  const started = performance.now();
  // Everything is read before the replay starts: a broken file fails in milliseconds, not after the history.
  const candidate = readRuleSet(options.candidateFile);
  const current = readRuleSet(options.currentFile);
  const policy = parsePolicy(readFileSync(options.policyFile, 'utf8'), options.policyFile);
  const tally = new BacktestTally();
  const rejected: { line: number; reason: string }[] = [];
  let labelled = 0;
  for await (const item of replayHistory(options)) {
    if (item.kind === 'rejected') rejected.push({ line: item.line, reason: item.reason });
    if (item.kind !== 'transaction') continue;
    const { transaction } = item;
    if (item.label !== null) labelled += 1;
    const context = buildRuleContext(transaction, { features: featureRecord(item.values) });
    const mine = rulesOnlyDecision(candidate, policy, transaction, context);
    const theirs = rulesOnlyDecision(current, policy, transaction, context);
    tally.add({
      fraud: item.label?.fraud === true,
      candidate: observe(mine.outcome, mine.evaluation),
      current: observe(theirs.outcome, theirs.evaluation),
    });
  }
  const summary = summariseBacktest(tally, candidate.rules, current.rules);
  return {
    history: {
      file: options.file,
      format: options.format,
      labels: options.labelsFile ?? null,
      rejected,
      labelled,
    },
    candidate: ruleSetInfo(options.candidateFile, candidate),
    current: ruleSetInfo(options.currentFile, current),
    policy: { file: options.policyFile, version: policy.policyVersion },
    ...summary,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
