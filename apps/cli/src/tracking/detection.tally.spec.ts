import { DetectionTally, formatDetection, stopDriver } from './detection.tally';

describe('DetectionTally', () => {
  it('counts frauds stopped by scenario and good customers stopped, ignoring rows without truth', () => {
    const tally = new DetectionTally();
    tally.record({ fraud: true, scenario: 'card_testing' }, 'BLOCK');
    tally.record({ fraud: true, scenario: 'card_testing' }, 'REVIEW');
    tally.record({ fraud: true, scenario: 'card_testing' }, 'APPROVE');
    tally.record({ fraud: true, scenario: 'stolen_card' }, 'REVIEW');
    for (let i = 0; i < 96; i++) tally.record({ fraud: false, scenario: 'baseline' }, 'APPROVE');
    tally.record({ fraud: false, scenario: 'travel' }, 'REVIEW', 'rule ecommerce-country-mismatch');
    tally.record({ fraud: false, scenario: 'travel' }, 'BLOCK', 'score band');
    tally.record({ fraud: false, scenario: 'baseline' }, 'REVIEW', 'score band');
    tally.record({ fraud: null, scenario: 'synthetic_identity' }, 'BLOCK');

    const summary = tally.summary();
    expect(summary.known).toBe(103);
    expect(summary.fraud).toEqual({ transactions: 4, REVIEW: 2, BLOCK: 1 });
    expect(summary.legitimate).toEqual({ transactions: 99, REVIEW: 2, BLOCK: 1 });
    expect(summary.recall).toBe(0.75);
    expect(summary.falsePositiveRate).toBeCloseTo(3 / 99, 12);
    expect(summary.precision).toBe(0.5);
    expect(summary.byScenario).toEqual([
      { scenario: 'card_testing', transactions: 3, REVIEW: 1, BLOCK: 1 },
      { scenario: 'stolen_card', transactions: 1, REVIEW: 1, BLOCK: 0 },
    ]);
    expect(summary.flaggedLegitimateByScenario).toEqual([
      { scenario: 'travel', flagged: 2 },
      { scenario: 'baseline', flagged: 1 },
    ]);

    const text = formatDetection(summary);
    expect(text).toContain('frauds stopped (REVIEW or BLOCK): 3 of 4 (75.0 %): REVIEW 2, BLOCK 1');
    expect(text).toContain('good customers stopped: 3 of 99 (false-positive rate 3.03 %)');
    expect(text).toMatch(/card_testing\s+3\s+2 \(67 %\)\s+1\s+1/);
    expect(text).toContain('by what they were doing: travel 2, baseline 1');
    expect(text).toContain('by what stopped them: score band 2, rule ecommerce-country-mismatch 1');
  });

  it('names what stopped a transaction: the rule behind a rule outcome, the score band, or the policy code', () => {
    const reason = (kind: string, code: string) => ({ kind, code, message: '', value: null }) as never;
    expect(stopDriver({ reasons: [reason('POLICY', 'RULE_REVIEW'), reason('RULE', 'high-risk-mcc')] })).toBe(
      'rule high-risk-mcc',
    );
    expect(stopDriver({ reasons: [reason('POLICY', 'SCORE_BAND'), reason('RULE', 'round-amount')] })).toBe(
      'score band',
    );
    expect(stopDriver({ reasons: [reason('FALLBACK', 'SCORE_TIMEOUT'), reason('POLICY', 'FLAG_ESCALATION')] })).toBe(
      'FLAG_ESCALATION',
    );
    expect(stopDriver({ reasons: [] })).toBe('no reason');
  });

  it('says nothing when no transaction came with its truth, and no rate without a denominator', () => {
    const tally = new DetectionTally();
    expect(formatDetection(tally.summary())).toBe('');
    tally.record({ fraud: false, scenario: null }, 'APPROVE');
    expect(tally.summary()).toMatchObject({ recall: null, precision: null, falsePositiveRate: 0 });
  });
});
