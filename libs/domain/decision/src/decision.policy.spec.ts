import type { Outcome, RuleAction, RuleHit } from '@argus/contracts';
import { policy } from './__fixtures__/policy.fixture';
import { EVENT_TIME, transaction } from './__fixtures__/transaction.fixture';
import type { DecideInput, DecisionPolicy, ModelScore } from './decision-policy.types';
import { decide } from './decision.policy';

const NOW = EVENT_TIME + 40;

function hit(action: RuleAction, ruleId = `${action.toLowerCase()}-rule`, priority = 10): RuleHit {
  return { rule_id: ruleId, action, priority, reason: `${ruleId} reason` };
}

function score(value: number, overrides: Partial<ModelScore> = {}): ModelScore {
  return {
    score: value,
    probability: value / 100,
    model_version: 'gbm@7',
    risk_tier: value >= 75 ? 'HIGH' : 'LOW',
    contributions: [],
    ...overrides,
  };
}

function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    transaction: transaction(),
    ruleSetVersion: 'default@abcdefabcdef',
    hits: [],
    score: score(10),
    now: NOW,
    ...overrides,
  };
}

function outcomeOf(p: DecisionPolicy, overrides: Partial<DecideInput>): Outcome {
  return decide(p, input(overrides)).outcome;
}

function policyCodes(p: DecisionPolicy, overrides: Partial<DecideInput>): string[] {
  return decide(p, input(overrides))
    .reasons.filter((reason) => reason.kind === 'POLICY')
    .map((reason) => reason.code);
}

const ACTIONS: RuleAction[] = ['ALLOW', 'REVIEW', 'BLOCK', 'FLAG'];
const SUBSETS: RuleAction[][] = Array.from({ length: 16 }, (_, mask) =>
  ACTIONS.filter((_action, i) => mask & (1 << i)),
);

describe('decide', () => {
  describe('rule precedence, every combination of actions', () => {
    // Hand-written expectations for the two precedences people use.
    const allowAboveReview: Record<string, Outcome> = {
      '': 'APPROVE',
      ALLOW: 'APPROVE',
      REVIEW: 'REVIEW',
      'ALLOW,REVIEW': 'APPROVE',
      BLOCK: 'BLOCK',
      'ALLOW,BLOCK': 'BLOCK',
      'REVIEW,BLOCK': 'BLOCK',
      'ALLOW,REVIEW,BLOCK': 'BLOCK',
      FLAG: 'APPROVE',
      'ALLOW,FLAG': 'APPROVE',
      'REVIEW,FLAG': 'REVIEW',
      'ALLOW,REVIEW,FLAG': 'APPROVE',
      'BLOCK,FLAG': 'BLOCK',
      'ALLOW,BLOCK,FLAG': 'BLOCK',
      'REVIEW,BLOCK,FLAG': 'BLOCK',
      'ALLOW,REVIEW,BLOCK,FLAG': 'BLOCK',
    };
    const reviewAboveAllow: Record<string, Outcome> = {
      ...allowAboveReview,
      'ALLOW,REVIEW': 'REVIEW',
      'ALLOW,REVIEW,FLAG': 'REVIEW',
    };

    it.each(SUBSETS.map((subset) => [subset.join(',') || '(none)', subset] as const))(
      'BLOCK > ALLOW > REVIEW > FLAG: %s',
      (_name, subset) => {
        expect(outcomeOf(policy(), { hits: subset.map((action) => hit(action)) })).toBe(
          allowAboveReview[subset.join(',')],
        );
      },
    );

    it.each(SUBSETS.map((subset) => [subset.join(',') || '(none)', subset] as const))(
      'BLOCK > REVIEW > ALLOW > FLAG: %s',
      (_name, subset) => {
        const p = policy({ rule_precedence: ['BLOCK', 'REVIEW', 'ALLOW', 'FLAG'] });
        expect(outcomeOf(p, { hits: subset.map((action) => hit(action)) })).toBe(reviewAboveAllow[subset.join(',')]);
      },
    );

    it('lets an allow-list beat a deny-list only when configured so', () => {
      const p = policy({ rule_precedence: ['ALLOW', 'BLOCK', 'REVIEW', 'FLAG'] });
      expect(outcomeOf(p, { hits: [hit('BLOCK'), hit('ALLOW')] })).toBe('APPROVE');
      expect(policyCodes(p, { hits: [hit('BLOCK'), hit('ALLOW')] })).toEqual(['ALLOW_LIST', 'ALLOW_OVERRIDE']);
    });

    it('names the deciding rules in the POLICY reason', () => {
      const decision = decide(
        policy(),
        input({ hits: [hit('REVIEW', 'b-review'), hit('REVIEW', 'a-review', 20), hit('FLAG')] }),
      );
      expect(decision.reasons[0]).toEqual({
        kind: 'POLICY',
        code: 'RULE_REVIEW',
        message: 'Rules a-review, b-review require REVIEW',
        value: null,
      });
    });

    it('says when an allow-list set a review rule aside', () => {
      const decision = decide(
        policy(),
        input({ hits: [hit('REVIEW', 'high-amount'), hit('ALLOW', 'trusted-merchant')] }),
      );
      expect(decision.reasons.filter((reason) => reason.kind === 'POLICY')).toEqual([
        { kind: 'POLICY', code: 'ALLOW_LIST', message: 'Allow-listed by trusted-merchant: APPROVE', value: null },
        {
          kind: 'POLICY',
          code: 'ALLOW_OVERRIDE',
          message: 'Allow-list (trusted-merchant) ranks above REVIEW in rule_precedence: rule high-amount set aside',
          value: null,
        },
      ]);
    });
  });

  describe('flag escalation', () => {
    const p = policy({ flag_escalation: { min_flags: 2, outcome: 'REVIEW' } });

    it('does nothing below the threshold', () => expect(outcomeOf(p, { hits: [hit('FLAG', 'f1')] })).toBe('APPROVE'));

    it('reviews at the threshold', () => {
      const decision = decide(p, input({ hits: [hit('FLAG', 'f1'), hit('FLAG', 'f2')] }));
      expect(decision.outcome).toBe('REVIEW');
      expect(decision.reasons[0]).toEqual({
        kind: 'POLICY',
        code: 'FLAG_ESCALATION',
        message: '2 FLAG rules fired (2 or more escalate to REVIEW)',
        value: 2,
      });
    });

    it('can escalate to BLOCK', () => {
      const blocking = policy({ flag_escalation: { min_flags: 3, outcome: 'BLOCK' } });
      expect(outcomeOf(blocking, { hits: [hit('FLAG', 'f1'), hit('FLAG', 'f2'), hit('FLAG', 'f3')] })).toBe('BLOCK');
    });

    it('is set aside by an allow-list when REVIEW is in allow_overrides', () => {
      const overrides = { hits: [hit('FLAG', 'f1'), hit('FLAG', 'f2'), hit('ALLOW')] };
      expect(outcomeOf(p, overrides)).toBe('APPROVE');
      expect(policyCodes(p, overrides)).toEqual(['ALLOW_LIST', 'ALLOW_OVERRIDE']);
      expect(outcomeOf(policy({ ...p, allow_overrides: [] }), overrides)).toBe('REVIEW');
    });

    it('never is when disabled', () =>
      expect(outcomeOf(policy(), { hits: ['f1', 'f2', 'f3', 'f4'].map((id) => hit('FLAG', id)) })).toBe('APPROVE'));
  });

  describe('score bands', () => {
    const p = policy({
      score_bands: [
        { min_score: 90, outcome: 'BLOCK', channels: null },
        { min_score: 75, outcome: 'REVIEW', channels: null },
        { min_score: 60, outcome: 'REVIEW', channels: ['ECOMMERCE', 'MOTO'] },
      ],
    });
    const at = (value: number, channel: 'CARD_PRESENT' | 'ECOMMERCE' = 'CARD_PRESENT') =>
      outcomeOf(p, { score: score(value), transaction: transaction({ channel }) });

    it.each([
      [100, 'BLOCK'],
      [90, 'BLOCK'],
      [89.99, 'REVIEW'],
      [75, 'REVIEW'],
      [74, 'APPROVE'],
      [0, 'APPROVE'],
    ] as const)('score %d on card-present → %s', (value, expected) => expect(at(value)).toBe(expected));

    it('applies a channel band to its channels only', () => {
      expect(at(65, 'ECOMMERCE')).toBe('REVIEW');
      expect(at(65, 'CARD_PRESENT')).toBe('APPROVE');
      expect(at(59, 'ECOMMERCE')).toBe('APPROVE');
    });

    it('explains the band', () => {
      const decision = decide(p, input({ score: score(65), transaction: transaction({ channel: 'ECOMMERCE' }) }));
      expect(decision.reasons[0]).toEqual({
        kind: 'POLICY',
        code: 'SCORE_BAND',
        message: 'Model score 65 is at least 60 for ECOMMERCE/MOTO: REVIEW',
        value: 65,
      });
    });

    it('raises a rule outcome but never lowers it', () => {
      expect(outcomeOf(p, { hits: [hit('REVIEW')], score: score(95) })).toBe('BLOCK');
      expect(outcomeOf(p, { hits: [hit('BLOCK')], score: score(5) })).toBe('BLOCK');
      expect(policyCodes(p, { hits: [hit('REVIEW')], score: score(80) })).toEqual(['RULE_REVIEW', 'SCORE_BAND']);
    });

    it('is overridden by an allow-list for REVIEW, not for BLOCK', () => {
      expect(outcomeOf(p, { hits: [hit('ALLOW')], score: score(80) })).toBe('APPROVE');
      expect(policyCodes(p, { hits: [hit('ALLOW')], score: score(80) })).toEqual(['ALLOW_LIST', 'ALLOW_OVERRIDE']);
      expect(outcomeOf(p, { hits: [hit('ALLOW')], score: score(95) })).toBe('BLOCK');
      expect(policyCodes(p, { hits: [hit('ALLOW')], score: score(95) })).toEqual(['SCORE_BAND']);
    });

    it('follows allow_overrides', () => {
      expect(
        outcomeOf(policy({ ...p, allow_overrides: ['REVIEW', 'BLOCK'] }), { hits: [hit('ALLOW')], score: score(95) }),
      ).toBe('APPROVE');
      expect(outcomeOf(policy({ ...p, allow_overrides: [] }), { hits: [hit('ALLOW')], score: score(80) })).toBe(
        'REVIEW',
      );
    });

    it('leaves a REVIEW allow-list decision to precedence when REVIEW outranks ALLOW', () => {
      const reviewFirst = policy({ ...p, rule_precedence: ['BLOCK', 'REVIEW', 'ALLOW', 'FLAG'] });
      expect(outcomeOf(reviewFirst, { hits: [hit('ALLOW'), hit('REVIEW')], score: score(10) })).toBe('REVIEW');
    });
  });

  describe('a missing score', () => {
    it('falls back to rules only, and says so', () => {
      const decision = decide(policy(), input({ score: null, hits: [hit('REVIEW')] }));
      expect(decision).toMatchObject({
        outcome: 'REVIEW',
        score: null,
        risk_tier: null,
        probability: null,
        model_version: null,
        degraded: ['SCORE_UNAVAILABLE'],
      });
      expect(decision.reasons.filter((reason) => reason.kind === 'FALLBACK')).toEqual([
        { kind: 'FALLBACK', code: 'SCORE_UNAVAILABLE', message: 'No model score: decided on rules only', value: null },
      ]);
      expect(decision.reasons.some((reason) => reason.kind === 'MODEL')).toBe(false);
    });

    it('treats an absent score like null', () => {
      const { score: _omitted, ...withoutScore } = input();
      expect(decide(policy(), withoutScore).degraded).toEqual(['SCORE_UNAVAILABLE']);
    });

    it("keeps the caller's degradation first, once each", () => {
      const decision = decide(policy(), input({ score: null, degraded: ['SCORE_TIMEOUT', 'SCORE_TIMEOUT'] }));
      expect(decision.degraded).toEqual(['SCORE_TIMEOUT', 'SCORE_UNAVAILABLE']);
      expect(decision.reasons.filter((reason) => reason.kind === 'FALLBACK').map((reason) => reason.message)).toEqual([
        'The model score did not arrive in time',
        'No model score: decided on rules only',
      ]);
    });

    it('fails closed when the policy asks for it', () => {
      const closed = policy({
        fallback: { missing_score: 'REVIEW', features_unavailable: 'rules_only', rule_errors: 'continue' },
      });
      expect(outcomeOf(closed, { score: null })).toBe('REVIEW');
      expect(policyCodes(closed, { score: null })).toEqual(['MISSING_SCORE_FLOOR']);
      expect(outcomeOf(closed, { score: null, hits: [hit('BLOCK')] })).toBe('BLOCK');
      expect(outcomeOf(closed, { score: score(10) })).toBe('APPROVE');
    });

    it('lets an allow-list lift a fail-closed REVIEW', () => {
      const closed = policy({
        fallback: { missing_score: 'REVIEW', features_unavailable: 'rules_only', rule_errors: 'continue' },
      });
      expect(outcomeOf(closed, { score: null, hits: [hit('ALLOW')] })).toBe('APPROVE');
    });

    it.each([Number.NaN, -1, 100.5, Number.POSITIVE_INFINITY])('ignores an invalid score (%d)', (value) => {
      const decision = decide(
        policy({ score_bands: [{ min_score: 0, outcome: 'BLOCK', channels: null }] }),
        input({ score: score(value) }),
      );
      expect(decision).toMatchObject({
        outcome: 'APPROVE',
        score: null,
        degraded: ['SCORE_INVALID', 'SCORE_UNAVAILABLE'],
      });
    });
  });

  describe('behavioural state unavailable (features from the transaction alone)', () => {
    const stateless = (features_unavailable: DecisionPolicy['fallback']['features_unavailable']) =>
      policy({
        score_bands: [{ min_score: 90, outcome: 'BLOCK', channels: null }],
        fallback: { missing_score: 'rules_only', features_unavailable, rule_errors: 'continue' },
      });

    it('rules_only: sets the score aside, decides on the rules, and says both', () => {
      const decision = decide(stateless('rules_only'), input({ score: score(95), degraded: ['STATE_UNAVAILABLE'] }));
      expect(decision).toMatchObject({
        outcome: 'APPROVE',
        score: null,
        model_version: null,
        degraded: ['STATE_UNAVAILABLE', 'SCORE_SET_ASIDE', 'SCORE_UNAVAILABLE'],
      });
      expect(decision.reasons.find((reason) => reason.code === 'STATE_UNAVAILABLE')?.message).toMatch(
        /transaction alone carries.*; decided on rules only$/,
      );
      expect(outcomeOf(stateless('rules_only'), { degraded: ['STATE_UNAVAILABLE'], hits: [hit('REVIEW')] })).toBe(
        'REVIEW',
      );
    });

    it('use_score: keeps the score computed from what there was (fail open on the model)', () => {
      const decision = decide(stateless('use_score'), input({ score: score(95), degraded: ['STATE_UNAVAILABLE'] }));
      expect(decision).toMatchObject({ outcome: 'BLOCK', score: 95, degraded: ['STATE_UNAVAILABLE'] });
    });

    it('an outcome fails closed to at least that outcome, once, whether or not there was a score', () => {
      const closed = stateless('REVIEW');
      expect(outcomeOf(closed, { degraded: ['STATE_UNAVAILABLE'] })).toBe('REVIEW');
      expect(policyCodes(closed, { degraded: ['STATE_UNAVAILABLE'], score: null })).toEqual([
        'STATE_UNAVAILABLE_FLOOR',
      ]);
      expect(outcomeOf(closed, { degraded: ['STATE_UNAVAILABLE'], hits: [hit('BLOCK')] })).toBe('BLOCK');
      expect(outcomeOf(closed, { degraded: [] })).toBe('APPROVE');
    });
  });

  describe('rule errors', () => {
    const ruleErrors = [{ rule_id: 'velocity', message: 'condition failed: No such key: txn_count_1h' }];

    it('continue: the decision says which rule could not run', () => {
      const decision = decide(policy(), input({ ruleErrors }));
      expect(decision.outcome).toBe('APPROVE');
      expect(decision.degraded).toEqual(['RULE_ERROR']);
      expect(decision.reasons.filter((reason) => reason.kind === 'FALLBACK')).toEqual([
        {
          kind: 'FALLBACK',
          code: 'RULE_ERROR',
          message: 'Rule velocity could not be evaluated: condition failed: No such key: txn_count_1h',
          value: null,
        },
      ]);
    });

    it('fails closed when the policy asks for it', () => {
      const closed = policy({
        fallback: { missing_score: 'rules_only', features_unavailable: 'rules_only', rule_errors: 'REVIEW' },
      });
      expect(outcomeOf(closed, { ruleErrors })).toBe('REVIEW');
      expect(policyCodes(closed, { ruleErrors })).toEqual(['RULE_ERROR_FLOOR']);
    });
  });

  describe('default outcome', () => {
    it('applies when nothing else does, and says so', () => {
      const decision = decide(policy({ default_outcome: 'REVIEW' }), input());
      expect(decision.outcome).toBe('REVIEW');
      expect(decision.reasons[0]).toEqual({
        kind: 'POLICY',
        code: 'DEFAULT',
        message: 'No rule, score band or fallback applies: default REVIEW',
        value: null,
      });
    });

    it('yields to an allow-list', () =>
      expect(outcomeOf(policy({ default_outcome: 'REVIEW' }), { hits: [hit('ALLOW')] })).toBe('APPROVE'));
  });

  describe('the decision record', () => {
    const p = policy({
      flag_escalation: { min_flags: 2, outcome: 'REVIEW' },
      score_bands: [{ min_score: 90, outcome: 'BLOCK', channels: null }],
      top_factors: 2,
    });
    const rich = input({
      hits: [hit('FLAG', 'country-mismatch', 200), hit('REVIEW', 'high-amount', 500), hit('FLAG', 'no-device', 150)],
      score: score(92.6, {
        probability: 0.8123456,
        risk_tier: 'CRITICAL',
        contributions: [
          { feature: 'amount_zscore', value: 4.2, contribution: 0.83 },
          { feature: 'new_device', value: 1, contribution: 0 },
          { feature: 'account_age_days', value: 900, contribution: -0.91 },
          { feature: 'txn_count_1h', value: 7, contribution: 0.4 },
        ],
      }),
      degraded: ['FEATURES_PARTIAL'],
    });

    it('holds every reason, in a fixed order: POLICY, RULE, MODEL, MODEL_FACTOR, FALLBACK', () => {
      expect(decide(p, rich)).toEqual({
        transaction_id: 'txn_0001',
        card_id: 'tok_card_0001',
        outcome: 'BLOCK',
        score: 93,
        risk_tier: 'CRITICAL',
        probability: 0.8123456,
        reasons: [
          { kind: 'POLICY', code: 'SCORE_BAND', message: 'Model score 92.6 is at least 90: BLOCK', value: 92.6 },
          { kind: 'RULE', code: 'high-amount', message: 'high-amount reason', value: null },
          { kind: 'RULE', code: 'country-mismatch', message: 'country-mismatch reason', value: null },
          { kind: 'RULE', code: 'no-device', message: 'no-device reason', value: null },
          {
            kind: 'MODEL',
            code: 'gbm@7',
            message: 'Model score 92.6/100, risk CRITICAL, probability 0.8123',
            value: 92.6,
          },
          {
            kind: 'MODEL_FACTOR',
            code: 'account_age_days',
            message: 'account_age_days = 900 lowered the risk (-0.91)',
            value: -0.91,
          },
          {
            kind: 'MODEL_FACTOR',
            code: 'amount_zscore',
            message: 'amount_zscore = 4.2 raised the risk (+0.83)',
            value: 0.83,
          },
          { kind: 'FALLBACK', code: 'FEATURES_PARTIAL', message: 'Degraded: FEATURES_PARTIAL', value: null },
        ],
        model_version: 'gbm@7',
        rule_set_version: 'default@abcdefabcdef',
        policy_version: 'test@1+000000000000',
        degraded: ['FEATURES_PARTIAL'],
        timings: { event_time: EVENT_TIME, ingested_at: EVENT_TIME + 12, decided_at: NOW },
        transaction: transaction(),
        // Named by the pipeline's combine stage, which knows the feature catalog.
        features: null,
      });
    });

    it('is identical for the same input, whatever the order of the hits', () => {
      const shuffled = { ...rich, hits: [...rich.hits].reverse() };
      expect(decide(p, shuffled)).toEqual(decide(p, rich));
      expect(JSON.stringify(decide(p, rich))).toBe(JSON.stringify(decide(p, rich)));
    });

    it('does not change its input', () => {
      const frozen = structuredClone(rich);
      decide(p, rich);
      expect(rich).toEqual(frozen);
    });

    it("words a factor as the caller's describeFactor says it, and falls back to feature = value", () => {
      const describeFactor = (feature: string, value: number) =>
        feature === 'account_age_days' ? `an account opened ${value} days ago` : null;
      const factors = decide(p, { ...rich, describeFactor }).reasons.filter((reason) => reason.kind === 'MODEL_FACTOR');
      expect(factors.map((reason) => [reason.code, reason.message])).toEqual([
        ['account_age_days', 'an account opened 900 days ago lowered the risk (-0.91)'],
        ['amount_zscore', 'amount_zscore = 4.2 raised the risk (+0.83)'],
      ]);
    });

    it('explains no factor when top_factors is 0', () => {
      expect(decide(policy({ top_factors: 0 }), rich).reasons.some((reason) => reason.kind === 'MODEL_FACTOR')).toBe(
        false,
      );
    });
  });
});
