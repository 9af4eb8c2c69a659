import type { Outcome } from '@argus/contracts';
import { formatBacktest } from './rules-backtest.report';
import {
  BacktestTally,
  compareRules,
  DISABLED_NOTE,
  SCORE_PHASE_NOTE,
  summariseBacktest,
  type BacktestObservation,
  type BacktestRule,
  type RulesBacktestReport,
} from './rules.backtest';

function rule(id: string, overrides: Partial<BacktestRule> = {}): BacktestRule {
  return {
    id,
    when: 'txn.amount_major > 1.0',
    action: 'REVIEW',
    priority: 100,
    enabled: true,
    phase: 'transaction',
    ...overrides,
  };
}

// The candidate adds `velocity-new` and a score rule, turns `amount-high` from FLAG into REVIEW, re-lays-out the
// condition of `mcc`, lowers and disables `prio`, and drops `round`.
const CURRENT: readonly BacktestRule[] = [
  rule('mcc', { when: 'txn.merchant_category_code in lists.high_risk_mccs\n  && txn.amount_major > 1.0' }),
  rule('amount-high', { action: 'FLAG' }),
  rule('prio', { priority: 300 }),
  rule('round', { action: 'FLAG' }),
];
const CANDIDATE: readonly BacktestRule[] = [
  rule('score-big', { action: 'BLOCK', phase: 'score', when: 'score != null && score >= 97.0' }),
  rule('mcc', { when: 'txn.merchant_category_code in lists.high_risk_mccs && txn.amount_major > 1.0' }),
  rule('velocity-new', { when: 'features.card_count_1h >= 5.0' }),
  rule('amount-high'),
  rule('prio', { priority: 200, enabled: false }),
];

function seen(
  fraud: boolean,
  candidate: [Outcome, string[], string[]?],
  current: [Outcome, string[], string[]?],
): BacktestObservation {
  const side = ([outcome, fired, errored = []]: [Outcome, string[], string[]?]) => ({ outcome, fired, errored });
  return { fraud, candidate: side(candidate), current: side(current) };
}

// Six transactions, three of them fraud (1, 2 and 6).
const OBSERVATIONS: readonly BacktestObservation[] = [
  seen(true, ['REVIEW', ['velocity-new', 'amount-high']], ['APPROVE', ['amount-high', 'round']]),
  seen(true, ['APPROVE', []], ['APPROVE', []]),
  seen(false, ['REVIEW', ['velocity-new']], ['APPROVE', ['round']]),
  seen(false, ['BLOCK', ['mcc'], ['velocity-new']], ['BLOCK', ['mcc']]),
  seen(false, ['APPROVE', []], ['REVIEW', ['round']]),
  seen(true, ['REVIEW', ['amount-high']], ['REVIEW', ['amount-high', 'round']]),
];

function tallied(observations: readonly BacktestObservation[]): BacktestTally {
  const tally = new BacktestTally();
  for (const observation of observations) tally.add(observation);
  return tally;
}

describe('compareRules', () => {
  it('matches rules by id: new, changed (with what), unchanged, then the removed ones', () => {
    expect(compareRules(CANDIDATE, CURRENT).map(({ id, status, changes }) => ({ id, status, changes }))).toEqual([
      { id: 'score-big', status: 'new', changes: [] },
      { id: 'mcc', status: 'unchanged', changes: [] },
      { id: 'velocity-new', status: 'new', changes: [] },
      { id: 'amount-high', status: 'changed', changes: ['action'] },
      { id: 'prio', status: 'changed', changes: ['priority', 'enabled'] },
      { id: 'round', status: 'removed', changes: [] },
    ]);
  });

  it('sees a changed condition, but not a change of layout', () => {
    const [changed] = compareRules([rule('a', { when: 'txn.amount_major > 2.0' })], [rule('a')]);
    expect(changed?.changes).toEqual(['condition']);
    const [same] = compareRules([rule('a', { when: '  txn.amount_major\n    > 1.0\n' })], [rule('a')]);
    expect(same?.status).toBe('unchanged');
  });

  it('gives every rule unchanged when a set is compared with itself', () => {
    expect(compareRules(CURRENT, CURRENT).every((c) => c.status === 'unchanged')).toBe(true);
  });
});

describe('summariseBacktest', () => {
  const summary = summariseBacktest(tallied(OBSERVATIONS), CANDIDATE, CURRENT);
  const byId = (id: string) => summary.rules.find((r) => r.id === id)!;

  it('counts transactions and fraud by final label', () => {
    expect([summary.transactions, summary.fraud]).toEqual([6, 3]);
  });

  it('gives a new rule its hits, hit rate, fraud hits, precision, share of fraud and errors', () => {
    // velocity-new fired on 1 (fraud) and 3 (legitimate), failed on 4.
    expect(byId('velocity-new')).toEqual({
      id: 'velocity-new',
      status: 'new',
      changes: [],
      action: 'REVIEW',
      phase: 'transaction',
      enabled: true,
      note: null,
      candidate: { hits: 2, hit_rate: 2 / 6, fraud_hits: 1, precision: 0.5, fraud_share: 1 / 3, errors: 1 },
      current: null,
    });
  });

  it('puts a kept rule beside its current figures', () => {
    // amount-high fired on 1 and 6 in both sets, both fraud: 2 of the 3 frauds.
    const figures = { hits: 2, hit_rate: 2 / 6, fraud_hits: 2, precision: 1, fraud_share: 2 / 3, errors: 0 };
    expect(byId('amount-high')).toMatchObject({ status: 'changed', changes: ['action'], action: 'REVIEW' });
    expect(byId('amount-high').candidate).toEqual(figures);
    expect(byId('amount-high').current).toEqual(figures);
    // mcc fired only on 4, legitimate: precision 0, not "no precision".
    expect(byId('mcc').candidate).toEqual({
      hits: 1,
      hit_rate: 1 / 6,
      fraud_hits: 0,
      precision: 0,
      fraud_share: 0,
      errors: 0,
    });
  });

  it('reports a removed rule with what it did in the current set', () => {
    // round fired on 1, 3, 5 and 6 in the current set; 1 and 6 are fraud.
    expect(byId('round')).toMatchObject({ status: 'removed', action: 'FLAG', note: null, candidate: null });
    expect(byId('round').current).toEqual({
      hits: 4,
      hit_rate: 4 / 6,
      fraud_hits: 2,
      precision: 0.5,
      fraud_share: 2 / 3,
      errors: 0,
    });
  });

  it('says why a score rule and a disabled rule have no figures', () => {
    expect(byId('score-big')).toMatchObject({ phase: 'score', note: SCORE_PHASE_NOTE, candidate: null, current: null });
    expect(byId('prio')).toMatchObject({ enabled: false, note: DISABLED_NOTE, candidate: null });
    expect(byId('prio').current).toMatchObject({ hits: 0, precision: null });
  });

  it('says so for a removed rule that could not run either', () => {
    const removed = summariseBacktest(tallied(OBSERVATIONS), [], [rule('scored', { phase: 'score' })]);
    expect(removed.rules).toEqual([
      expect.objectContaining({
        id: 'scored',
        status: 'removed',
        note: SCORE_PHASE_NOTE,
        candidate: null,
        current: null,
      }),
    ]);
  });

  it('gives each set its REVIEW and BLOCK counts, precision and recall of REVIEW or BLOCK, and good customers hit', () => {
    // Candidate: REVIEW 1, 3, 6; BLOCK 4; fraud among them 1 and 6; legitimate 3 and 4.
    expect(summary.sets.candidate).toEqual({
      approve: 2,
      review: 3,
      review_rate: 0.5,
      block: 1,
      block_rate: 1 / 6,
      flagged: 4,
      flagged_rate: 4 / 6,
      precision: 0.5,
      recall: 2 / 3,
      fraud_caught: 2,
      good_impacted: 2,
      good_impacted_rate: 2 / 3,
      rule_errors: 1,
    });
    // Current: REVIEW 5, 6; BLOCK 4; fraud among them 6; legitimate 4 and 5.
    expect(summary.sets.current).toEqual({
      approve: 3,
      review: 2,
      review_rate: 2 / 6,
      block: 1,
      block_rate: 1 / 6,
      flagged: 3,
      flagged_rate: 0.5,
      precision: 1 / 3,
      recall: 1 / 3,
      fraud_caught: 1,
      good_impacted: 2,
      good_impacted_rate: 2 / 3,
      rule_errors: 0,
    });
  });

  it('lists the transactions whose outcome changes, by from→to pair, most first, with their fraud', () => {
    // 1 (fraud) and 3 go APPROVE→REVIEW, 5 goes REVIEW→APPROVE; 2, 4 and 6 keep their outcome.
    expect(summary.changes).toEqual({
      transactions: 3,
      fraud: 1,
      by_pair: [
        { from: 'APPROVE', to: 'REVIEW', transactions: 2, fraud: 1 },
        { from: 'REVIEW', to: 'APPROVE', transactions: 1, fraud: 0 },
      ],
    });
  });

  it('leaves ratios without a denominator null rather than dividing by zero', () => {
    const empty = summariseBacktest(new BacktestTally(), CANDIDATE, CURRENT);
    expect(empty.sets.candidate).toMatchObject({ review_rate: null, precision: null, recall: null });
    expect(empty.rules.find((r) => r.id === 'mcc')?.candidate).toMatchObject({ hit_rate: null, precision: null });
    const noFraud = summariseBacktest(tallied([OBSERVATIONS[2]!]), CANDIDATE, CURRENT);
    expect(noFraud.sets.candidate).toMatchObject({ precision: 0, recall: null, good_impacted_rate: 1 });
  });
});

describe('formatBacktest', () => {
  const report: RulesBacktestReport = {
    ...summariseBacktest(tallied(OBSERVATIONS), CANDIDATE, CURRENT),
    history: { file: 'sim/transactions.csv', format: 'argus', labels: null, rejected: [], labelled: 4 },
    candidate: { file: 'c.yaml', version: 'c@1', rules: 5, transaction_phase: 4, score_phase: 1 },
    current: { file: 'd.yaml', version: 'd@1', rules: 4, transaction_phase: 4, score_phase: 0 },
    policy: { file: 'p.yaml', version: 'p@1+0' },
    seconds: 0.1,
  };
  const lines = formatBacktest(report).split('\n');

  it('prints one row per rule, a side-by-side table of the sets and the outcome changes', () => {
    expect(lines.find((l) => l.startsWith('velocity-new'))?.split(/\s{2,}/)).toEqual([
      'velocity-new',
      'new',
      'REVIEW',
      '2',
      '33.33 %',
      '1',
      '50.0 %',
      '33.3 %',
      '1',
    ]);
    expect(lines.find((l) => l.startsWith('score-big'))).toMatch(/BLOCK\s+needs a model score: not backtested$/);
    expect(lines.find((l) => l.startsWith('round'))?.split(/\s{2,}/)).toEqual(['round', 'removed', 'FLAG', '4', '2']);
    expect(lines.find((l) => l.startsWith('precision'))?.split(/\s{2,}/)).toEqual([
      'precision of REVIEW or BLOCK',
      '33.3 %',
      '50.0 %',
      '+16.7 pt',
    ]);
    expect(lines.find((l) => l.startsWith('REVIEW'))?.split(/\s{2,}/)).toEqual([
      'REVIEW',
      '2 (33.33 %)',
      '3 (50.00 %)',
      '+1',
    ]);
    expect(lines).toContain('outcome changes: 3 transactions (fraud 1)');
    expect(
      lines
        .find((l) => l.includes('REVIEW→APPROVE'))
        ?.trim()
        .split(/\s{2,}/),
    ).toEqual(['REVIEW→APPROVE', '1', 'of which fraud 0']);
  });
});
