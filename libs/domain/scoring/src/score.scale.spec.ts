import { DEFAULT_RISK_TIERS, riskTier, scoreFromProbability, validRiskTiers } from './score.scale';

describe('scoreFromProbability', () => {
  it.each([
    [0, 0],
    [1e-6, 0],
    [1e-4, 0],
    [1e-3, 25],
    [1e-2, 50],
    [0.1, 75],
    [0.5, 92],
    [1, 100],
  ])('p = %p → %p', (p, score) => {
    expect(scoreFromProbability(p)).toBe(score);
  });

  it('is monotone and within 0–100', () => {
    let previous = -1;
    for (let i = 0; i <= 10_000; i += 1) {
      const score = scoreFromProbability(i / 10_000);
      expect(score).toBeGreaterThanOrEqual(previous);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
      previous = score;
    }
  });

  it('rounds half-way values up', () => {
    // 25 × (log10(p) + 4) = 12.5 exactly would be p = 10^(-3.5); the nearest doubles land either side.
    const p = 10 ** -3.5;
    expect([12, 13]).toContain(scoreFromProbability(p));
    expect(scoreFromProbability(p * 1.000001)).toBe(13);
  });
});

describe('riskTier', () => {
  it('maps score bands to tiers with the defaults', () => {
    expect(riskTier(0)).toBe('LOW');
    expect(riskTier(49)).toBe('LOW');
    expect(riskTier(50)).toBe('MEDIUM');
    expect(riskTier(75)).toBe('HIGH');
    expect(riskTier(89)).toBe('HIGH');
    expect(riskTier(90)).toBe('CRITICAL');
    expect(riskTier(100)).toBe('CRITICAL');
  });

  it('accepts other thresholds and validates them', () => {
    expect(riskTier(30, { medium: 20, high: 40, critical: 60 })).toBe('MEDIUM');
    expect(validRiskTiers(DEFAULT_RISK_TIERS)).toBe(true);
    expect(validRiskTiers({ medium: 50, high: 50, critical: 90 })).toBe(false);
    expect(validRiskTiers({ medium: 0, high: 50, critical: 90 })).toBe(false);
    expect(validRiskTiers({ medium: 10, high: 50, critical: 101 })).toBe(false);
  });
});
