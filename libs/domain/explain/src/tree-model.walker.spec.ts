import { lgbLeaf, lgbSplit, lightgbmDoc, xgbLeaf, xgboostDoc, xgbSplit } from './__fixtures__/tree-documents.fixtures';
import { TreeModelError } from './tree-model.errors';
import { parseTreeModel } from './tree-model.parser';
import { margin } from './tree-model.walker';

/** One split on column 0 at `threshold`: margin −1 on the left, +1 on the right (plus base_margin 0.5). */
function lightgbmStump(threshold: number, missing: Parameters<typeof lgbSplit>[4]) {
  return parseTreeModel(lightgbmDoc([lgbSplit(0, threshold, lgbLeaf(-1, 10), lgbLeaf(1, 10), missing)], ['x'], 0.5));
}

const LEFT = -0.5;
const RIGHT = 1.5;

describe('margin', () => {
  it('is base_margin plus the leaf each tree sends the row to', () => {
    const model = parseTreeModel(
      lightgbmDoc(
        [
          lgbSplit(0, 0, lgbLeaf(-1, 1), lgbLeaf(1, 1)),
          lgbSplit(1, 10, lgbSplit(0, -5, lgbLeaf(0.25, 1), lgbLeaf(0.5, 1)), lgbLeaf(2, 1)),
        ],
        ['a', 'b'],
        -0.125,
      ),
    );
    expect(margin(model, [1, 3])).toBe(-0.125 + 1 + 0.5);
    expect(margin(model, new Float64Array([-7, 30]))).toBe(-0.125 - 1 + 2);
    expect(margin(model, new Float32Array([-7, 3]))).toBe(-0.125 - 1 + 0.25);
  });

  describe('LightGBM missing values', () => {
    it('missing_type NaN: NaN goes to the default side; 0 is an ordinary value', () => {
      expect(margin(lightgbmStump(1, { missing_type: 'NaN', default_left: false }), [NaN])).toBe(RIGHT);
      expect(margin(lightgbmStump(-1, { missing_type: 'NaN', default_left: true }), [NaN])).toBe(LEFT);
      expect(margin(lightgbmStump(-1, { missing_type: 'NaN', default_left: true }), [0])).toBe(RIGHT);
    });

    it('missing_type None: NaN is scored as 0.0 (right of a negative threshold, left of a positive one)', () => {
      expect(margin(lightgbmStump(-0.5, { missing_type: 'None', default_left: true }), [NaN])).toBe(RIGHT);
      expect(margin(lightgbmStump(0.5, { missing_type: 'None', default_left: false }), [NaN])).toBe(LEFT);
      expect(margin(lightgbmStump(0, { missing_type: 'None', default_left: false }), [NaN])).toBe(LEFT);
    });

    it('missing_type Zero: NaN and |x| ≤ 1e-35 go to the default side', () => {
      const model = lightgbmStump(-1, { missing_type: 'Zero', default_left: true });
      expect(margin(model, [NaN])).toBe(LEFT);
      expect(margin(model, [0])).toBe(LEFT);
      expect(margin(model, [-0])).toBe(LEFT);
      expect(margin(model, [1e-36])).toBe(LEFT);
      expect(margin(model, [-1e-36])).toBe(LEFT);
      expect(margin(model, [1e-30])).toBe(RIGHT);
    });
  });

  describe('XGBoost missing values', () => {
    it('NaN goes to the missing child, whichever it is', () => {
      const tree = (missingYes: boolean) =>
        parseTreeModel(xgboostDoc([xgbSplit(0, 0.5, xgbLeaf(-1, 1), xgbLeaf(1, 1), missingYes)], ['x'], 0.5));
      expect(margin(tree(true), [NaN])).toBe(LEFT);
      expect(margin(tree(false), [NaN])).toBe(RIGHT);
      expect(margin(tree(true), [0])).toBe(LEFT);
    });
  });

  describe('thresholds: the row is read as float32 (what ONNX and the libraries compare)', () => {
    const f32 = Math.fround(0.1); // 0.10000000149011612
    const f32Below = 0.09999999403953552; // the float32 just below it

    it('XGBoost: x < split_condition in float32, so x equal to it (after rounding) goes to "no"', () => {
      const model = parseTreeModel(xgboostDoc([xgbSplit(0, 0.1, xgbLeaf(-1, 1), xgbLeaf(1, 1))], ['x'], 0.5));
      expect(margin(model, [f32])).toBe(RIGHT);
      // 0.1 in float64 is below float32(0.1), but rounds to it: XGBoost sees equality.
      expect(margin(model, [0.1])).toBe(RIGHT);
      expect(margin(model, [f32Below])).toBe(LEFT);
      expect(margin(model, [0.09999999])).toBe(LEFT);
    });

    it('LightGBM: x ≤ threshold in float64, with x the float32 value', () => {
      const model = lightgbmStump(0.1, {});
      expect(margin(model, [f32Below])).toBe(LEFT);
      // float32(0.1) is above the float64 threshold 0.1: right, although 0.1 ≤ 0.1 in float64.
      expect(margin(model, [0.1])).toBe(RIGHT);
      expect(margin(lightgbmStump(f32, {}), [0.1])).toBe(LEFT);
      expect(margin(lightgbmStump(f32, {}), [f32])).toBe(LEFT);
    });
  });

  it('refuses a row of the wrong length', () => {
    const model = lightgbmStump(0, {});
    expect(() => margin(model, [1, 2])).toThrow(TreeModelError);
    expect(() => margin(model, [])).toThrow('row: has 0 values; the model has 1 features');
  });
});
