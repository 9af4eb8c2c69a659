import type { Decision, NormalizedTransaction } from '@argus/contracts';
import { toDecisionResponse } from './decision.response';

const transaction = { transaction_id: 'txn-1', card_id: 'tok_k1_abc' } as NormalizedTransaction;

function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    transaction_id: 'txn-1',
    card_id: 'tok_k1_abc',
    outcome: 'APPROVE',
    score: 12,
    risk_tier: 'LOW',
    probability: 0.004,
    reasons: [{ kind: 'POLICY', code: 'DEFAULT', message: 'Nothing asked for more than APPROVE', value: null }],
    model_version: 'lgbm-7',
    rule_set_version: 'default@abc',
    policy_version: 'default@1+def',
    degraded: [],
    timings: { event_time: 1, ingested_at: 2, decided_at: 3 },
    transaction,
    features: null,
    ...overrides,
  };
}

describe('toDecisionResponse', () => {
  it('answers with the decision in snake_case, without the transaction or the card', () => {
    const response = toDecisionResponse(decision(), 1.23456);
    expect(response).toEqual({
      transaction_id: 'txn-1',
      outcome: 'APPROVE',
      score: 12,
      risk_tier: 'LOW',
      reasons: [{ kind: 'POLICY', code: 'DEFAULT', message: 'Nothing asked for more than APPROVE', value: null }],
      degraded: [],
      model_version: 'lgbm-7',
      rule_set_version: 'default@abc',
      policy_version: 'default@1+def',
      step_up: null,
      latency_ms: 1.235,
    });
    expect(JSON.stringify(response)).not.toContain('tok_k1_abc');
  });

  it('asks for a step-up on REVIEW only', () => {
    expect(toDecisionResponse(decision({ outcome: 'REVIEW' }), 1).step_up).toEqual({
      required: true,
      methods: ['THREE_DS', 'OTP'],
    });
    expect(toDecisionResponse(decision({ outcome: 'BLOCK' }), 1).step_up).toBeNull();
  });

  it('says what was missing, with no score when no model took part', () => {
    const response = toDecisionResponse(
      decision({
        score: null,
        risk_tier: null,
        model_version: null,
        degraded: ['MODEL_UNAVAILABLE', 'SCORE_UNAVAILABLE'],
      }),
      0.5,
    );
    expect(response).toMatchObject({
      score: null,
      risk_tier: null,
      model_version: null,
      degraded: ['MODEL_UNAVAILABLE', 'SCORE_UNAVAILABLE'],
    });
  });
});
