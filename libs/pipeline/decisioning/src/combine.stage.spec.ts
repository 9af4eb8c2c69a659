import { EVENT_TIME, policy, RULES, score, vector } from './__fixtures__/decisioning.fixture';
import { combine } from './combine.stage';
import { evaluateTransactionRules } from './rules.stage';

const NOW = EVENT_TIME + 50;

describe('evaluateTransactionRules', () => {
  it('runs the transaction-phase rules on the features, missing (NaN) ones absent', () => {
    const fired = evaluateTransactionRules(RULES, vector({ card_count_1m: 9 }), NOW);
    expect(fired.hits.map((hit) => hit.rule_id)).toEqual(['burst']);
    const missing = evaluateTransactionRules(RULES, vector({ card_count_1m: Number.NaN }), NOW);
    expect(missing).toMatchObject({ hits: [], rule_errors: [] });
  });

  it("carries the vector's degradation, not a redelivery marker", () => {
    const result = evaluateTransactionRules(RULES, vector({}, ['STATE_UNAVAILABLE', 'REDELIVERY']), NOW);
    expect(result.degraded).toEqual(['STATE_UNAVAILABLE']);
  });
});

describe('combine', () => {
  const ruleResult = (values: Record<string, number>, degraded: string[] = []) =>
    evaluateTransactionRules(RULES, vector(values, degraded), NOW);

  it('runs the score rules on the score, then the policy, with every reason', () => {
    const decision = combine({
      policy: policy(),
      ruleSet: RULES,
      ruleResult: ruleResult({}),
      score: score(97),
      now: NOW,
    });
    expect(decision).toMatchObject({ outcome: 'BLOCK', score: 97, model_version: 'gbm@1', degraded: [] });
    expect(decision.reasons.map((r) => `${r.kind}:${r.code}`)).toEqual([
      'POLICY:RULE_BLOCK',
      'RULE:score-block',
      'MODEL:gbm@1',
      'MODEL_FACTOR:card_count_1m',
    ]);
    expect(decision.reasons.find((r) => r.code === 'score-block')?.message).toBe('score 97');
  });

  it('decides on the rules alone when the score timed out, and says so', () => {
    const decision = combine({
      policy: policy(),
      ruleSet: RULES,
      ruleResult: ruleResult({ card_count_1m: 9 }),
      score: null,
      now: NOW,
    });
    expect(decision).toMatchObject({
      outcome: 'REVIEW',
      score: null,
      degraded: ['SCORE_TIMEOUT', 'SCORE_UNAVAILABLE'],
    });
  });

  it('says MODEL_UNAVAILABLE for a NO_MODEL score, and no score rule sees it', () => {
    const decision = combine({
      policy: policy(),
      ruleSet: RULES,
      ruleResult: ruleResult({}),
      score: score(99, 'NO_MODEL'),
      now: NOW,
    });
    expect(decision).toMatchObject({
      outcome: 'APPROVE',
      score: null,
      degraded: ['MODEL_UNAVAILABLE', 'SCORE_UNAVAILABLE'],
    });
  });

  it('sets a score computed without state aside from the score rules too (features_unavailable: rules_only)', () => {
    const input = { ruleSet: RULES, ruleResult: ruleResult({}, ['STATE_UNAVAILABLE']), score: score(97), now: NOW };
    expect(combine({ ...input, policy: policy('rules_only') })).toMatchObject({ outcome: 'APPROVE', score: null });
    expect(combine({ ...input, policy: policy('use_score') })).toMatchObject({ outcome: 'BLOCK', score: 97 });
    expect(combine({ ...input, policy: policy('REVIEW') }).outcome).toBe('REVIEW');
  });

  it('names both rule-set versions when the rules service and this process held different ones', () => {
    const result = { ...ruleResult({}), rule_set_version: 'test@000000000000' };
    const decision = combine({ policy: policy(), ruleSet: RULES, ruleResult: result, score: score(10), now: NOW });
    expect(decision.rule_set_version).toBe(`test@000000000000+score-rules:${RULES.version}`);
  });

  it('gives the same decision for the same inputs', () => {
    const input = {
      policy: policy(),
      ruleSet: RULES,
      ruleResult: ruleResult({ card_count_1m: 7 }),
      score: score(85),
      now: NOW,
    };
    expect(combine(input)).toEqual(combine(input));
  });
});
