import { Rng, WeightedTable, mix32 } from './seeded.random';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('repeats its sequence for a seed and differs between seeds and derived streams', () => {
    expect(draws(new Rng(42), 5)).toEqual(draws(new Rng(42), 5));
    expect(draws(new Rng(42), 5)).not.toEqual(draws(new Rng(43), 5));
    expect(draws(Rng.derive(7, 'customer', 1), 3)).toEqual(draws(Rng.derive(7, 'customer', 1), 3));
    expect(draws(Rng.derive(7, 'customer', 1), 3)).not.toEqual(draws(Rng.derive(7, 'customer', 2), 3));
    expect(draws(Rng.derive(7, 'customer', 1), 3)).not.toEqual(draws(Rng.derive(7, 'merchant', 1), 3));
  });

  it('draws uniformly in [0, 1) and integers within their bounds', () => {
    const rng = new Rng(1);
    const values = draws(rng, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(0.5, 1);
    const dice = Array.from({ length: 6000 }, () => rng.intBetween(1, 6));
    expect(new Set(dice)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('gives log-normal draws around their median and distinct samples', () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 5001 }, () => rng.lognormal(20, 0.5)).sort((a, b) => a - b);
    expect(values[2500]).toBeGreaterThan(18);
    expect(values[2500]).toBeLessThan(22);
    const sample = rng.sample([1, 2, 3, 4, 5], 4);
    expect(new Set(sample).size).toBe(4);
    expect(rng.sample([1, 2], 5)).toHaveLength(2);
  });

  it('mix32 is a bijection on a range (unique device fingerprints rely on it)', () => {
    const seen = new Set(Array.from({ length: 100_000 }, (_, i) => mix32(i)));
    expect(seen.size).toBe(100_000);
  });
});

describe('WeightedTable', () => {
  it('draws indexes in proportion to their weights, never a zero-weight one', () => {
    const table = new WeightedTable([1, 0, 3]);
    const rng = new Rng(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[table.draw(rng)] += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.6);
    expect(counts[2] / counts[0]).toBeLessThan(3.4);
  });
});
