import {
  bruteForceShap,
  lgbLeaf,
  lgbSplit,
  lightgbmDoc,
  prng,
  randomLightGbmTree,
  randomRow,
  randomXgboostTree,
  xgbLeaf,
  xgboostDoc,
  xgbSplit,
} from './__fixtures__/tree-documents.fixtures';
import { type TreeModel } from './tree-ensemble.model';
import { TreeModelError } from './tree-model.errors';
import { parseTreeModel } from './tree-model.parser';
import { margin } from './tree-model.walker';
import { expectedValue, topContributions, treeShap } from './treeshap.explainer';

const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);

/** The same document with precomputed tables (the default) and without (the O(d²) path). */
function bothWays(doc: unknown): [string, TreeModel][] {
  return [
    ['tables', parseTreeModel(doc)],
    ['no tables', parseTreeModel(doc, { maxTableWidth: 0 })],
  ];
}

describe('treeShap', () => {
  describe('closed forms', () => {
    // x0 ≤ 0.5 ? leaf −1 (cover 3) : leaf 3 (cover 1); expected value (3·−1 + 1·3) / 4 = 0.
    const stump = lightgbmDoc([lgbSplit(0, 0.5, lgbLeaf(-1, 3), lgbLeaf(3, 1))], ['x0', 'x1'], 0.5);

    it.each(bothWays(stump))('one split: the feature gets f(x) − E[f] (%s)', (_how, model) => {
      expect(expectedValue(model)).toBe(0.5);
      expect([...treeShap(model, [0, 9])]).toEqual([-1, 0]);
      expect([...treeShap(model, [1, 9])]).toEqual([3, 0]);
    });

    // AND of two features with uniform covers: x0 > 0.5 and x1 > 0.5 → 1, else 0; E[f] = 1/4.
    const and = lightgbmDoc(
      [lgbSplit(0, 0.5, lgbLeaf(0, 2), lgbSplit(1, 0.5, lgbLeaf(0, 1), lgbLeaf(1, 1)))],
      ['x0', 'x1'],
    );

    it.each(bothWays(and))('AND: symmetric shares when both hold, exact values when one fails (%s)', (_how, model) => {
      expect(expectedValue(model)).toBe(0.25);
      expectClose(treeShap(model, [1, 1]), [3 / 8, 3 / 8]);
      // f = 0: x0 raised the chance (1/4 → 1/2 given x0), x1 = 0 settles it at 0.
      expectClose(treeShap(model, [1, 0]), [1 / 8, -3 / 8]);
      expectClose(treeShap(model, [0, 1]), [-3 / 8, 1 / 8]);
      expectClose(treeShap(model, [0, 0]), [-1 / 8, -1 / 8]);
    });

    // The same feature split twice on a path: with one player, its share is all of f(x) − E[f].
    const repeated = lightgbmDoc(
      [lgbSplit(0, 0.5, lgbSplit(0, 0.25, lgbLeaf(-2, 1), lgbLeaf(1, 3)), lgbLeaf(4, 4))],
      ['x0'],
    );

    it.each(bothWays(repeated))('a feature split twice on a path counts once (%s)', (_how, model) => {
      const expected = (1 * -2 + 3 * 1 + 4 * 4) / 8;
      expect(expectedValue(model)).toBeCloseTo(expected, 15);
      expectClose(treeShap(model, [0]), [-2 - expected]);
      expectClose(treeShap(model, [0.3]), [1 - expected]);
      expectClose(treeShap(model, [0.9]), [4 - expected]);
    });

    it('the hot child of a missing value is the missing/default child', () => {
      const nanLeft = lightgbmDoc(
        [lgbSplit(0, 0.5, lgbLeaf(-1, 3), lgbLeaf(3, 1), { missing_type: 'NaN', default_left: true })],
        ['x0'],
      );
      const nanRight = xgboostDoc([xgbSplit(0, 0.5, xgbLeaf(-1, 3), xgbLeaf(3, 1), false)], ['x0']);
      const noneNegative = lightgbmDoc(
        [lgbSplit(0, -0.5, lgbLeaf(-1, 3), lgbLeaf(3, 1), { missing_type: 'None', default_left: true })],
        ['x0'],
      );
      expect([...treeShap(parseTreeModel(nanLeft), [NaN])]).toEqual([-1]);
      expect([...treeShap(parseTreeModel(nanRight), [NaN])]).toEqual([3]);
      // None: NaN is 0.0, which lies right of −0.5 whatever default_left says.
      expect([...treeShap(parseTreeModel(noneNegative), [NaN])]).toEqual([3]);
    });
  });

  describe('equals the Shapley values by definition on random trees', () => {
    const cases: [string, () => unknown, number][] = [
      ['LightGBM, depth ≤ 5', () => lightgbmDoc(trees(randomLightGbmTree, 6, 5), names(6), 0.3), 6],
      ['XGBoost, depth ≤ 5', () => xgboostDoc(trees(randomXgboostTree, 6, 5), names(6), -0.7), 6],
      // Paths with up to 9 distinct features: wider than the default table width of 6.
      ['LightGBM, depth ≤ 10', () => lightgbmDoc(trees(randomLightGbmTree, 9, 10), names(9)), 9],
    ];
    const random = prng(20260105);
    function trees<T>(
      make: (random: () => number, features: number, depth: number) => T,
      features: number,
      depth: number,
    ) {
      return Array.from({ length: 6 }, () => make(random, features, depth));
    }
    function names(count: number): string[] {
      return Array.from({ length: count }, (_, i) => `f${i}`);
    }

    it.each(cases)('%s', (_case, makeDoc, features) => {
      for (let round = 0; round < 4; round += 1) {
        const doc = makeDoc();
        const models = bothWays(doc);
        for (let r = 0; r < 12; r += 1) {
          const row = randomRow(random, features);
          const reference = bruteForceShap(models[0]![1], row);
          for (const [, model] of models) {
            const phi = treeShap(model, row);
            expectClose(phi, [...reference], 1e-12);
            expect(sum(phi) + expectedValue(model)).toBeCloseTo(margin(model, row), 12);
          }
        }
      }
    });
  });

  it('reuses the output buffer, zeroing it first', () => {
    const model = parseTreeModel(lightgbmDoc([lgbSplit(0, 0.5, lgbLeaf(-1, 3), lgbLeaf(3, 1))], ['x0', 'x1']));
    const out = new Float64Array([7, 7]);
    expect(treeShap(model, [0, 0], out)).toBe(out);
    expect([...out]).toEqual([-1, 0]);
    expect(() => treeShap(model, [0, 0], new Float64Array(3))).toThrow(TreeModelError);
    expect(() => treeShap(model, [0])).toThrow('row: has 1 values; the model has 2 features');
  });
});

describe('topContributions', () => {
  // Four independent stumps: each feature's share is its stump's leaf minus its mean.
  const doc = lightgbmDoc(
    [
      lgbSplit(0, 0.5, lgbLeaf(-1, 1), lgbLeaf(1, 1)), // x0: ±1
      lgbSplit(1, 0.5, lgbLeaf(-3, 1), lgbLeaf(3, 1)), // x1: ±3
      lgbSplit(2, 0.5, lgbLeaf(-1, 1), lgbLeaf(1, 1)), // x2: ±1
      lgbSplit(3, 0.5, lgbLeaf(-2, 1), lgbLeaf(2, 1)), // x3: ±2
    ],
    ['delta', 'beta', 'alpha', 'gamma', 'unused'],
  );
  const model = parseTreeModel(doc);

  it('ranks by |contribution|, ties by feature name, and reports the raw values', () => {
    expect(topContributions(model, [1, 0, 0.1, NaN, 5])).toEqual([
      { feature: 'beta', value: 0, contribution: -3 },
      // NaN (missing_type None) is scored as 0.0: left, −2.
      { feature: 'gamma', value: NaN, contribution: -2 },
      { feature: 'alpha', value: 0.1, contribution: -1 },
      { feature: 'delta', value: 1, contribution: 1 },
    ]);
  });

  it('returns at most k, and never a feature whose contribution is 0', () => {
    expect(topContributions(model, [1, 0, 0.1, NaN, 5], 2).map((c) => c.feature)).toEqual(['beta', 'gamma']);
    expect(topContributions(model, [1, 0, 0.1, NaN, 5], 0)).toEqual([]);
    expect(topContributions(model, [1, 0, 0.1, NaN, 5], 10).map((c) => c.feature)).not.toContain('unused');
    expect(() => topContributions(model, [1, 0, 0, 0, 0], -1)).toThrow(RangeError);
  });

  it('keeps the value as given, not rounded to float32', () => {
    expect(topContributions(model, [0.1, 0, 0, 0, 0], 5).find((c) => c.feature === 'delta')?.value).toBe(0.1);
  });
});

function expectClose(actual: Float64Array, expected: number[], tolerance = 1e-15): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    if (Math.abs(value - expected[i]!) > tolerance)
      throw new Error(`feature ${i}: got ${value}, expected ${expected[i]} (±${tolerance})\n[${[...actual]}]`);
  });
}
