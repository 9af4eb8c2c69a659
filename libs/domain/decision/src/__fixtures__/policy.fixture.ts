import type { DecisionPolicy } from '../decision-policy.types';

/** A policy built in code, so each test states exactly the knobs it turns. */
export function policy(overrides: Partial<DecisionPolicy> = {}): DecisionPolicy {
  return {
    name: 'test',
    version: '1',
    policyVersion: 'test@1+000000000000',
    sourceName: 'test.yaml',
    description: null,
    rule_precedence: ['BLOCK', 'ALLOW', 'REVIEW', 'FLAG'],
    allow_overrides: ['REVIEW'],
    flag_escalation: null,
    score_bands: [],
    fallback: { missing_score: 'rules_only', features_unavailable: 'rules_only', rule_errors: 'continue' },
    default_outcome: 'APPROVE',
    top_factors: 5,
    ...overrides,
  };
}
