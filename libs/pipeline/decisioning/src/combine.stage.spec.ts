import type { Score } from '@argus/contracts';
import { FEATURE_CATALOG, FEATURE_NAMES, FEATURE_SCHEMA_HASH } from '@argus/features';
import { EVENT_TIME, policy, RULES, score, vector } from './__fixtures__/decisioning.fixture';
import { combine, namedFeatures } from './combine.stage';
import { evaluateTransactionRules, UNNAMED_VECTOR } from './rules.stage';

const NOW = EVENT_TIME + 50;

describe('evaluateTransactionRules', () => {
  it('runs the transaction-phase rules on the features, missing (NaN) ones absent', () => {
    const fired = evaluateTransactionRules(RULES, vector({ card_count_1m: 9 }), NOW);
    expect(fired.hits.map((hit) => hit.rule_id)).toEqual(['burst']);
    const missing = evaluateTransactionRules(RULES, vector({ card_count_1m: Number.NaN }), NOW);
    expect(missing).toMatchObject({ hits: [], rule_errors: [] });
  });

  it('reads a vector of the feature catalog by the catalog’s names, and any other by its own', () => {
    const values = FEATURE_NAMES.map((name) => (name === 'card_count_1m' ? 9 : 0));
    const ofCatalog = {
      ...vector({}),
      schema_hash: FEATURE_SCHEMA_HASH,
      names: FEATURE_NAMES.map((name) => `${name}`),
      values,
    };
    expect(evaluateTransactionRules(RULES, ofCatalog, NOW).hits.map((hit) => hit.rule_id)).toEqual(['burst']);
    // As the feature service sends it: no names on the wire, the schema hash names the values.
    const unnamed = { ...ofCatalog, names: [] };
    expect(evaluateTransactionRules(RULES, unnamed, NOW).hits.map((hit) => hit.rule_id)).toEqual(['burst']);
    // Another schema: its names are the only key to its values.
    const renamed = { ...ofCatalog, schema_hash: 'other', names: FEATURE_NAMES.map((name) => `x_${name}`) };
    expect(evaluateTransactionRules(RULES, renamed, NOW).hits).toEqual([]);
  });

  it('evaluates no rule, and says so, on a vector of an unknown schema without names', () => {
    const values = FEATURE_NAMES.map((name) => (name === 'card_count_1m' ? 9 : 0));
    const unknown = { ...vector({}), schema_hash: 'other', names: [], values };
    const result = evaluateTransactionRules(RULES, unknown, NOW);
    expect(result.hits).toEqual([]);
    expect(result.rule_errors).toEqual([
      { rule_id: UNNAMED_VECTOR, message: expect.stringContaining('no rule evaluated') },
    ]);
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

  describe('the feature vector of the case file', () => {
    // A whole vector of this catalog: value i is i, except the first payment's "no earlier payment" NaN.
    const values = FEATURE_NAMES.map((name, i) => (name === 'card_seconds_since_previous' ? Number.NaN : i));
    const scored = (status: 'SCORED' | 'NO_MODEL', value: number, schemaHash = FEATURE_SCHEMA_HASH) => ({
      ...score(value, status),
      feature_values: { schema_hash: schemaHash, values },
    });
    const decideOn = (features: Record<string, number>, given: Score) =>
      combine({ policy: policy(), ruleSet: RULES, ruleResult: ruleResult(features), score: given, now: NOW });

    it('names every value of a BLOCK from the catalog, in model input order, a missing value as null', () => {
      const decision = decideOn({}, scored('SCORED', 97));
      expect(decision.outcome).toBe('BLOCK');
      expect(decision.features).toHaveLength(FEATURE_CATALOG.length);
      expect(decision.features!.map((feature) => feature.name)).toEqual(FEATURE_NAMES);
      expect(decision.features![0]).toEqual({ name: FEATURE_NAMES[0], value: 0 });
      expect(decision.features!.at(-1)).toEqual({ name: FEATURE_NAMES.at(-1), value: FEATURE_NAMES.length - 1 });
      expect(decision.features!.find((feature) => feature.name === 'card_seconds_since_previous')).toEqual({
        name: 'card_seconds_since_previous',
        value: null,
      });
      expect(decision.features!.filter((feature) => feature.value === null)).toHaveLength(1);
    });

    it('gives a REVIEW its vector too, even when the model was missing (NO_MODEL)', () => {
      const decision = decideOn({ card_count_1m: 9 }, scored('NO_MODEL', 0));
      expect(decision.outcome).toBe('REVIEW');
      expect(decision.features).toHaveLength(FEATURE_NAMES.length);
    });

    it('gives an APPROVE none, whatever came with the score', () => {
      const decision = decideOn({}, scored('SCORED', 10));
      expect(decision).toMatchObject({ outcome: 'APPROVE', features: null });
    });

    it('takes the vector it is given over the score (the gateway), and has none when the score timed out', () => {
      const input = { policy: policy(), ruleSet: RULES, ruleResult: ruleResult({ card_count_1m: 9 }), now: NOW };
      const given = combine({
        ...input,
        score: null,
        featureValues: { schema_hash: FEATURE_SCHEMA_HASH, values: values.map(() => 1) },
      });
      expect(given.outcome).toBe('REVIEW');
      expect(given.features!.every((feature) => feature.value === 1)).toBe(true);
      expect(combine({ ...input, score: null })).toMatchObject({ outcome: 'REVIEW', features: null });
      expect(combine({ ...input, score: scored('NO_MODEL', 0), featureValues: null }).features).toBeNull();
    });

    it("leaves the vector out when it is not this catalog's (another schema hash, or another width)", () => {
      const decision = decideOn({}, scored('SCORED', 97, 'another-schema'));
      // Still decided as before, with its reasons; only the unnamed values are missing.
      expect(decision).toMatchObject({ outcome: 'BLOCK', score: 97, degraded: [], features: null });
      expect(namedFeatures({ schema_hash: FEATURE_SCHEMA_HASH, values: values.slice(1) })).toBeNull();
      expect(namedFeatures({ schema_hash: FEATURE_SCHEMA_HASH, values })).toHaveLength(FEATURE_NAMES.length);
    });

    it('makes a value JSON cannot carry null, as a missing one', () => {
      const odd = values.map((value, i) => (i === 0 ? Number.POSITIVE_INFINITY : value));
      expect(namedFeatures({ schema_hash: FEATURE_SCHEMA_HASH, values: odd })![0]).toEqual({
        name: FEATURE_NAMES[0],
        value: null,
      });
    });
  });
});
