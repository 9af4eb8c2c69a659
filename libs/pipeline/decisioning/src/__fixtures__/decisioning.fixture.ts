import type { FeatureVector, NormalizedTransaction, Score } from '@argus/contracts';
import { parsePolicy } from '@argus/decision';
import { parseRuleSet } from '@argus/rules';

export const EVENT_TIME = Date.UTC(2026, 2, 14, 13, 45, 0);

export function transaction(overrides: Partial<NormalizedTransaction> = {}): NormalizedTransaction {
  return {
    transaction_id: 'txn_0001',
    event_time: EVENT_TIME,
    ingested_at: EVENT_TIME + 12,
    source: 'KAFKA',
    card_id: 'tok_card_0001',
    card_bin: '411111',
    card_last4: '1111',
    customer_id: 'cust_0001',
    account_id: null,
    amount_minor: 80_000,
    currency: 'EUR',
    merchant_id: 'merch_grocer_01',
    merchant_category_code: '5411',
    merchant_country: 'DE',
    terminal_id: 'term_01',
    channel: 'ECOMMERCE',
    payment_method: 'CARD',
    device_fingerprint: 'dev_01',
    ip_address: null,
    geo: null,
    attributes: {},
    ...overrides,
  };
}

export function vector(values: Record<string, number>, degraded: string[] = []): FeatureVector {
  return {
    transaction: transaction(),
    schema_hash: 'test-schema',
    names: Object.keys(values),
    values: Object.values(values),
    degraded,
    computed_at: EVENT_TIME + 20,
  };
}

export function score(value: number, status: Score['status'] = 'SCORED'): Score {
  return {
    transaction_id: 'txn_0001',
    card_id: 'tok_card_0001',
    model_version: status === 'SCORED' ? 'gbm@1' : '',
    probability: value / 100,
    score: value,
    risk_tier: value >= 90 ? 'CRITICAL' : 'LOW',
    contributions: [{ feature: 'card_count_1m', value: 9, contribution: 1.2 }],
    shadow: [],
    scored_at: EVENT_TIME + 30,
    scoring_us: 40,
    status,
    feature_values: null,
  };
}

export const RULES = parseRuleSet(
  [
    'name: test',
    'rules:',
    '  - { id: burst, action: REVIEW, priority: 500, reason: burst, when: "has(features.card_count_1m) && features.card_count_1m > 5.0" }',
    '  - { id: score-block, action: BLOCK, priority: 900, reason: "score {{score}}", when: "score != null && score >= 95 && txn.amount_major > 500.0" }',
  ].join('\n'),
  'rules.yaml',
);

export function policy(featuresUnavailable = 'rules_only') {
  return parsePolicy(
    [
      'name: p',
      'version: 1',
      'score_bands: [{ min_score: 80, outcome: REVIEW }]',
      `fallback: { missing_score: rules_only, features_unavailable: ${featuresUnavailable} }`,
    ].join('\n'),
    'policy.yaml',
  );
}
