import { promotionGate, type ModelEvaluation } from './promotion.gate';

function evaluation(level: number, baseline = 0.6, window = ['2026-02-01', '2026-03-01']): ModelEvaluation {
  const headline = (v: number) => ({
    auc: v,
    average_precision: v / 2,
    card_precision_at_100: v / 3,
    recall_at_fpr: { '0.001': v / 4, '0.005': v / 3, '0.01': v / 2 },
  });
  return { ...headline(level), rules_baseline: headline(baseline), test_from: window[0]!, test_to: window[1]! };
}

describe('promotionGate', () => {
  it('passes a first model that beats the rules baseline on every gated metric', () => {
    const result = promotionGate(evaluation(0.9), null);
    expect(result.pass).toBe(true);
    expect(result.checks).toHaveLength(4);
    expect(result.checks[0]).toBe('pass auc 0.9000 vs rules 0.6000');
  });

  it('fails a model the rules beat', () => {
    const result = promotionGate(evaluation(0.5), null);
    expect(result.pass).toBe(false);
    expect(result.checks.filter((c) => c.startsWith('FAIL'))).toHaveLength(4);
  });

  it('compares with the champion within the tolerance', () => {
    expect(promotionGate(evaluation(0.897), evaluation(0.9)).pass).toBe(true);
    const worse = promotionGate(evaluation(0.85), evaluation(0.9));
    expect(worse.pass).toBe(false);
    expect(worse.checks).toContain('FAIL auc 0.8500 vs champion 0.9000');
  });

  it('refuses to compare evaluations of different windows', () => {
    const result = promotionGate(evaluation(0.95), evaluation(0.9, 0.6, ['2026-01-01', '2026-02-01']));
    expect(result.pass).toBe(false);
    expect(result.checks.at(-1)).toContain('evaluate both on the same window');
  });
});
