import { BENCH_FEATURES, BENCH_RULE_SET, benchTransactions } from './__fixtures__/bench.workload';
import { buildRuleContext } from './rule-context.builder';
import { evaluate } from './rule-set.evaluator';
import { parseRuleSet } from './rule-set.parser';

// The timing itself is in ../bench/rule-set.bench.js (plain node; Jest's sandbox distorts timings).
describe('benchmark workload', () => {
  const ruleSet = parseRuleSet(BENCH_RULE_SET, 'bench.yaml');
  const results = benchTransactions(1_000).map((txn) =>
    evaluate(ruleSet, buildRuleContext(txn, { features: BENCH_FEATURES })),
  );

  it('has 20 rules', () => expect(ruleSet.rules).toHaveLength(20));
  it('evaluates without errors', () => expect(results.flatMap((result) => result.errors)).toEqual([]));
  it('fires every action somewhere, so the figure covers rendering too', () => {
    expect(new Set(results.flatMap((result) => result.hits.map((hit) => hit.action)))).toEqual(
      new Set(['ALLOW', 'REVIEW', 'BLOCK', 'FLAG']),
    );
  });
});
