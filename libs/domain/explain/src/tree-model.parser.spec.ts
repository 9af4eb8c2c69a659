import { lgbLeaf, lgbSplit, lightgbmDoc, xgbLeaf, xgboostDoc, xgbSplit } from './__fixtures__/tree-documents.fixtures';
import { TreeModelError, TreeModelErrorCode } from './tree-model.errors';
import { float32Below, parseTreeModel } from './tree-model.parser';

const NAMES = ['amount', 'velocity'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of a parsed JSON document
type Doc = Record<string, any>;

function valid(): Record<string, unknown> {
  return lightgbmDoc([lgbSplit(0, 0.5, lgbLeaf(-1, 3), lgbLeaf(2, 1))], NAMES, 0.25);
}

/** The error `parseTreeModel` refuses `doc` with. */
function refusal(doc: unknown): TreeModelError {
  try {
    parseTreeModel(doc);
  } catch (error) {
    if (error instanceof TreeModelError) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

/** A deep copy of `base` with `edit` applied. */
function edited(edit: (doc: Doc) => void, base = valid()): unknown {
  const doc = structuredClone(base) as Doc;
  edit(doc);
  return doc;
}

describe('parseTreeModel', () => {
  it('compiles a LightGBM document into flat arrays, pre-order', () => {
    const model = parseTreeModel(valid());
    expect(model.kind).toBe('lightgbm');
    expect(model.featureNames).toEqual(NAMES);
    expect(model.baseMargin).toBe(0.25);
    expect(model.treeCount).toBe(1);
    expect(model.maxDepth).toBe(1);
    expect([...model.nodes.feature]).toEqual([0, -1, -1]);
    expect([...model.nodes.left.slice(0, 1)]).toEqual([1]);
    expect([...model.nodes.right.slice(0, 1)]).toEqual([2]);
    expect([...model.nodes.cover]).toEqual([4, 3, 1]);
    // The root's value is the cover-weighted mean of its leaves: (3·−1 + 1·2) / 4.
    expect(model.nodes.value[0]).toBe(-0.25);
    expect(model.expectedValue).toBe(0.25 - 0.25);
  });

  it('reads XGBoost children by nodeid, whatever their order in the list', () => {
    const doc = xgboostDoc(
      [xgbSplit(1, 0.5, xgbLeaf(-1, 3), xgbLeaf(2, 1)), xgbSplit(1, 0.5, xgbLeaf(-1, 3), xgbLeaf(2, 1))],
      NAMES,
    );
    const trees = doc['trees'] as { children: { nodeid: number }[] }[];
    expect(trees[1]!.children.map((child) => child.nodeid)).toEqual([2, 1]);
    const model = parseTreeModel(doc);
    expect([...model.nodes.value]).toEqual([-0.25, -1, 2, -0.25, -1, 2]);
  });

  it('keeps a single-leaf LightGBM tree without a count', () => {
    const model = parseTreeModel(
      lightgbmDoc([{ leaf_value: 0.5 }, lgbSplit(1, 0, lgbLeaf(1, 1), lgbLeaf(3, 1))], NAMES),
    );
    expect(model.maxDepth).toBe(1);
    expect(model.expectedValue).toBe(0.5 + 2);
  });

  it('stores XGBoost numbers as the float32 values XGBoost uses', () => {
    const model = parseTreeModel(xgboostDoc([xgbSplit(0, 0.1, xgbLeaf(0.3, 1), xgbLeaf(0.7, 1))], NAMES));
    expect(model.nodes.value[1]).toBe(Math.fround(0.3));
    // x < fround(0.1) for float32 x is x ≤ the float32 just below it.
    expect(model.nodes.threshold[0]).toBe(float32Below(Math.fround(0.1)));
    expect(model.nodes.threshold[0]).toBeLessThan(Math.fround(0.1));
  });

  describe('float32Below', () => {
    it.each([0.1, 1, -1, 3.5, -2.75, 1e-40, -1e-40, 3.4028234663852886e38])('is the float32 just below %p', (value) => {
      const t = Math.fround(value);
      const below = float32Below(t);
      expect(Math.fround(below)).toBe(below);
      expect(below).toBeLessThan(t);
      // Nothing representable in float32 lies strictly between.
      expect(Math.fround((below + t) / 2) === below || Math.fround((below + t) / 2) === t).toBe(true);
    });

    it('goes below zero (and below −0) to the smallest negative subnormal', () => {
      expect(float32Below(0)).toBe(-(2 ** -149));
      expect(float32Below(-0)).toBe(-(2 ** -149));
    });
  });

  describe('refuses malformed documents, naming the path', () => {
    it.each<[string, unknown, TreeModelErrorCode, string]>([
      ['not an object', [], TreeModelErrorCode.INVALID_TYPE, '$: expected an object, got a list'],
      [
        'another format',
        edited((doc) => (doc['format'] = 'argus-trees/2')),
        TreeModelErrorCode.UNSUPPORTED,
        '$.format: expected "argus-trees/1", got "argus-trees/2"',
      ],
      [
        'an unknown kind',
        edited((doc) => (doc['kind'] = 'catboost')),
        TreeModelErrorCode.UNSUPPORTED,
        '$.kind: expected one of lightgbm, xgboost, got "catboost"',
      ],
      [
        'no feature names',
        edited((doc) => delete doc['feature_names']),
        TreeModelErrorCode.MISSING_KEY,
        '$.feature_names: is missing',
      ],
      [
        'an empty feature list',
        edited((doc) => (doc['feature_names'] = [])),
        TreeModelErrorCode.INVALID_VALUE,
        '$.feature_names: a model needs at least one feature',
      ],
      [
        'a duplicate feature name',
        edited((doc) => (doc['feature_names'] = ['amount', 'amount'])),
        TreeModelErrorCode.INVALID_VALUE,
        '$.feature_names[1]: duplicate feature name "amount"',
      ],
      [
        'a feature name that is not a string',
        edited((doc) => (doc['feature_names'] = ['amount', 7])),
        TreeModelErrorCode.INVALID_TYPE,
        '$.feature_names[1]: expected a non-empty string, got number 7',
      ],
      [
        'a base margin that is not a number',
        edited((doc) => (doc['base_margin'] = '0.5')),
        TreeModelErrorCode.INVALID_TYPE,
        '$.base_margin: expected a number, got "0.5"',
      ],
      [
        'no trees',
        edited((doc) => (doc['trees'] = [])),
        TreeModelErrorCode.INVALID_VALUE,
        '$.trees: a model needs at least one tree',
      ],
      [
        'a tree without its structure',
        edited((doc) => delete doc['trees'][0]['tree_structure']),
        TreeModelErrorCode.MISSING_KEY,
        '$.trees[0].tree_structure: is missing',
      ],
      [
        'a split without a threshold',
        edited((doc) => delete doc['trees'][0]['tree_structure']['threshold']),
        TreeModelErrorCode.MISSING_KEY,
        '$.trees[0].tree_structure.threshold: is missing',
      ],
      [
        'a categorical split',
        edited((doc) => (doc['trees'][0]['tree_structure']['decision_type'] = '==')),
        TreeModelErrorCode.UNSUPPORTED,
        '$.trees[0].tree_structure.decision_type: only numerical splits ("<=") are supported, got "=="',
      ],
      [
        'an unknown missing type',
        edited((doc) => (doc['trees'][0]['tree_structure']['missing_type'] = 'Null')),
        TreeModelErrorCode.INVALID_VALUE,
        '$.trees[0].tree_structure.missing_type: expected "None", "Zero" or "NaN", got "Null"',
      ],
      [
        'a column beyond the feature list',
        edited((doc) => (doc['trees'][0]['tree_structure']['split_feature'] = 2)),
        TreeModelErrorCode.INVALID_VALUE,
        '$.trees[0].tree_structure.split_feature: expected a column index in [0, 1] (feature_names has 2), got number 2',
      ],
      [
        'a zero cover',
        edited((doc) => (doc['trees'][0]['tree_structure']['right_child']['leaf_count'] = 0)),
        TreeModelErrorCode.INVALID_VALUE,
        '$.trees[0].tree_structure.right_child.leaf_count: expected a positive cover, got 0',
      ],
      [
        'a leaf value that is not a number',
        edited((doc) => (doc['trees'][0]['tree_structure']['left_child']['leaf_value'] = null)),
        TreeModelErrorCode.INVALID_TYPE,
        '$.trees[0].tree_structure.left_child.leaf_value: expected a number, got null',
      ],
      [
        'a linear tree',
        edited((doc) => (doc['trees'][0]['tree_structure']['left_child']['leaf_coeff'] = [0.1])),
        TreeModelErrorCode.UNSUPPORTED,
        '$.trees[0].tree_structure.left_child: linear trees (linear_tree=true) are not supported',
      ],
    ])('%s', (_case, doc, code, message) => {
      const error = refusal(doc);
      expect(error.message).toBe(message);
      expect(error.code).toBe(code);
      expect(error.path).toBe(message.slice(0, message.indexOf(':')));
      expect(error.name).toBe('TreeModelError');
    });

    const xgb = (): Record<string, unknown> => xgboostDoc([xgbSplit(1, 0.5, xgbLeaf(-1, 3), xgbLeaf(2, 1))], NAMES);
    it.each<[string, (doc: Doc) => void, string]>([
      [
        'a split on a named feature',
        (doc) => (doc['trees'][0]['split'] = 'velocity'),
        '$.trees[0].split: expected a column as "f<index>" (the model trained on a plain array), got "velocity"',
      ],
      [
        'a child id that is not among the children',
        (doc) => (doc['trees'][0]['yes'] = 7),
        '$.trees[0].yes: no child has nodeid number 7',
      ],
      [
        'a missing child that is neither yes nor no',
        (doc) => (doc['trees'][0]['missing'] = 0),
        '$.trees[0].missing: expected the yes or the no child, got number 0',
      ],
      [
        'one child only',
        (doc) => doc['trees'][0]['children'].pop(),
        '$.trees[0].children: expected a list of two nodes, got a list',
      ],
      [
        'a categorical split',
        (doc) => {
          delete doc['trees'][0]['split_condition'];
          doc['trees'][0]['categories'] = [1, 2];
        },
        '$.trees[0]: categorical splits are not supported',
      ],
      [
        'a leaf without cover',
        (doc) => delete doc['trees'][0]['children'][1]['cover'],
        '$.trees[0].children[1].cover: is missing',
      ],
      [
        'a negative node id',
        (doc) => (doc['trees'][0]['nodeid'] = -1),
        '$.trees[0].nodeid: expected a node id (integer ≥ 0), got number -1',
      ],
    ])('XGBoost: %s', (_case, edit, message) => {
      expect(refusal(edited(edit, xgb())).message).toBe(message);
    });
  });

  it('refuses a table width it cannot honour', () => {
    expect(() => parseTreeModel(valid(), { maxTableWidth: 13 })).toThrow(RangeError);
    expect(() => parseTreeModel(valid(), { maxTableWidth: -1 })).toThrow(RangeError);
  });
});
