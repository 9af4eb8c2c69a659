import { TreeModelError, TreeModelErrorCode } from './tree-model.errors';
import {
  TREE_MODEL_FORMAT,
  TREE_MODEL_KINDS,
  TreeModel,
  type TreeModelKind,
  type TreeModelOptions,
} from './tree-ensemble.model';
import { LEAF, type CompiledNodes } from './tree-nodes.types';

/** Deeper trees are refused: neither library grows them with Argus' settings, and parsing recurses per level. */
export const MAX_TREE_DEPTH = 256;

type Json = Record<string, unknown>;

/**
 * Validates an `argus-trees/1` document (the trainer's trees.json, already `JSON.parse`d) and compiles it into
 * flat typed arrays. Throws {@link TreeModelError} naming the path of the first problem found.
 *
 * Each library's decision rule is baked in so that one rule serves both (see {@link CompiledNodes}):
 * - LightGBM: thresholds are kept as float64. `missing_type NaN` sends NaN to `default_left ? left : right`;
 *   `Zero` sends NaN and |x| ≤ 1e-35 there; `None` scores NaN as 0.0, so NaN goes where 0.0 goes
 *   (`0 <= threshold ? left : right`, decided here once).
 * - XGBoost: leaf values, covers and `split_condition` are float32 (printed with 9 digits, read back exactly
 *   with `Math.fround`). Its rule `x < split_condition` on float32 values is the same as
 *   `x <= (the largest float32 below split_condition)`, which is the threshold stored. NaN goes to `missing`;
 *   children are found by `nodeid`, not by position.
 */
export function parseTreeModel(json: unknown, options: TreeModelOptions = {}): TreeModel {
  const doc = object(json, '$');
  const format = field(doc, 'format', '$');
  if (format !== TREE_MODEL_FORMAT)
    fail(TreeModelErrorCode.UNSUPPORTED, '$.format', `expected "${TREE_MODEL_FORMAT}", got ${describe(format)}`);
  const kind = field(doc, 'kind', '$');
  if (!TREE_MODEL_KINDS.includes(kind as TreeModelKind))
    fail(
      TreeModelErrorCode.UNSUPPORTED,
      '$.kind',
      `expected one of ${TREE_MODEL_KINDS.join(', ')}, got ${describe(kind)}`,
    );
  const featureNames = readFeatureNames(field(doc, 'feature_names', '$'));
  const baseMargin = finite(field(doc, 'base_margin', '$'), '$.base_margin');
  const trees = field(doc, 'trees', '$');
  if (!Array.isArray(trees))
    fail(TreeModelErrorCode.INVALID_TYPE, '$.trees', `expected a list, got ${describe(trees)}`);
  if (trees.length === 0) fail(TreeModelErrorCode.INVALID_VALUE, '$.trees', 'a model needs at least one tree');

  const builder = new NodeBuilder(featureNames.length);
  const roots = new Int32Array(trees.length);
  trees.forEach((tree, t) => {
    const path = `$.trees[${t}]`;
    roots[t] =
      kind === 'lightgbm'
        ? builder.addLightGbmTree(field(object(tree, path), 'tree_structure', path), `${path}.tree_structure`)
        : builder.addXgboostTree(tree, path);
  });
  return new TreeModel(
    kind as TreeModelKind,
    featureNames,
    baseMargin,
    roots,
    builder.compile(),
    builder.maxDepth,
    options,
  );
}

interface Pending {
  readonly node: unknown;
  readonly path: string;
  readonly depth: number;
  readonly parent: number;
  readonly isLeft: boolean;
}

/** Collects nodes in depth-first pre-order, then packs them into typed arrays. */
class NodeBuilder {
  maxDepth = 0;
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly missingLeft: boolean[] = [];
  private readonly zeroIsMissing: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];

  constructor(private readonly featureCount: number) {}

  addLightGbmTree(root: unknown, rootPath: string): number {
    return this.walk(root, rootPath, (node, path, depth) => {
      const json = object(node, path);
      if ('leaf_value' in json) {
        if ('leaf_coeff' in json || 'leaf_features' in json)
          fail(TreeModelErrorCode.UNSUPPORTED, path, 'linear trees (linear_tree=true) are not supported');
        const count = depth === 0 && !('leaf_count' in json) ? 0 : this.coverOf(json, 'leaf_count', path, depth);
        return this.leaf(finite(json['leaf_value'], `${path}.leaf_value`), count);
      }
      const decision = field(json, 'decision_type', path);
      if (decision !== '<=')
        fail(
          TreeModelErrorCode.UNSUPPORTED,
          `${path}.decision_type`,
          `only numerical splits ("<=") are supported, got ${describe(decision)}`,
        );
      const threshold = finite(field(json, 'threshold', path), `${path}.threshold`);
      const defaultLeft = field(json, 'default_left', path);
      if (typeof defaultLeft !== 'boolean')
        fail(
          TreeModelErrorCode.INVALID_TYPE,
          `${path}.default_left`,
          `expected a boolean, got ${describe(defaultLeft)}`,
        );
      const missingType = field(json, 'missing_type', path);
      if (missingType !== 'None' && missingType !== 'Zero' && missingType !== 'NaN')
        fail(
          TreeModelErrorCode.INVALID_VALUE,
          `${path}.missing_type`,
          `expected "None", "Zero" or "NaN", got ${describe(missingType)}`,
        );
      const split = this.split(
        this.column(field(json, 'split_feature', path), `${path}.split_feature`),
        threshold,
        missingType === 'None' ? 0 <= threshold : defaultLeft,
        missingType === 'Zero',
        this.coverOf(json, 'internal_count', path, depth),
      );
      return {
        index: split,
        left: { node: field(json, 'left_child', path), path: `${path}.left_child` },
        right: { node: field(json, 'right_child', path), path: `${path}.right_child` },
      };
    });
  }

  addXgboostTree(root: unknown, rootPath: string): number {
    return this.walk(root, rootPath, (node, path, depth) => {
      const json = object(node, path);
      const id = field(json, 'nodeid', path);
      if (!Number.isSafeInteger(id) || (id as number) < 0)
        fail(
          TreeModelErrorCode.INVALID_VALUE,
          `${path}.nodeid`,
          `expected a node id (integer ≥ 0), got ${describe(id)}`,
        );
      if ('leaf' in json) {
        const cover = Math.fround(this.coverOf(json, 'cover', path, depth));
        return this.leaf(Math.fround(finite(json['leaf'], `${path}.leaf`)), cover);
      }
      const split = field(json, 'split', path);
      const column = typeof split === 'string' ? /^f(\d+)$/.exec(split) : null;
      if (column === null)
        fail(
          TreeModelErrorCode.INVALID_VALUE,
          `${path}.split`,
          `expected a column as "f<index>" (the model trained on a plain array), got ${describe(split)}`,
        );
      if (!('split_condition' in json) && 'categories' in json)
        fail(TreeModelErrorCode.UNSUPPORTED, path, 'categorical splits are not supported');
      const condition = Math.fround(finite(field(json, 'split_condition', path), `${path}.split_condition`));
      const children = field(json, 'children', path);
      if (!Array.isArray(children) || children.length !== 2)
        fail(
          TreeModelErrorCode.INVALID_TYPE,
          `${path}.children`,
          `expected a list of two nodes, got ${describe(children)}`,
        );
      const byId = new Map<unknown, { node: unknown; path: string }>();
      children.forEach((child, c) => {
        const childPath = `${path}.children[${c}]`;
        byId.set(field(object(child, childPath), 'nodeid', childPath), { node: child, path: childPath });
      });
      const child = (key: 'yes' | 'no'): { node: unknown; path: string } => {
        const target = field(json, key, path);
        const found = byId.get(target);
        if (found === undefined)
          fail(TreeModelErrorCode.INVALID_VALUE, `${path}.${key}`, `no child has nodeid ${describe(target)}`);
        return found;
      };
      const yes = child('yes');
      const no = child('no');
      if (yes === no) fail(TreeModelErrorCode.INVALID_VALUE, `${path}.no`, 'yes and no name the same child');
      const missing = field(json, 'missing', path);
      if (missing !== json['yes'] && missing !== json['no'])
        fail(
          TreeModelErrorCode.INVALID_VALUE,
          `${path}.missing`,
          `expected the yes or the no child, got ${describe(missing)}`,
        );
      const index = this.split(
        this.column(Number(column[1]), `${path}.split`),
        float32Below(condition),
        missing === json['yes'],
        false,
        Math.fround(this.coverOf(json, 'cover', path, depth)),
      );
      return { index, left: yes, right: no };
    });
  }

  compile(): CompiledNodes {
    const n = this.feature.length;
    const nodes: CompiledNodes = {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      missing: new Int32Array(n),
      zeroIsMissing: Uint8Array.from(this.zeroIsMissing),
      value: Float64Array.from(this.value),
      cover: Float64Array.from(this.cover),
    };
    // Pre-order puts children after their parent: one backward pass fills every internal node's mean value
    // (as XGBoost's FillNodeMeanValue does), the root's being the tree's expected value.
    for (let i = n - 1; i >= 0; i -= 1) {
      if (nodes.feature[i] === LEAF) continue;
      const l = nodes.left[i];
      const r = nodes.right[i];
      nodes.missing[i] = this.missingLeft[i] ? l : r;
      nodes.value[i] = (nodes.value[l] * nodes.cover[l] + nodes.value[r] * nodes.cover[r]) / nodes.cover[i];
    }
    return nodes;
  }

  /** Visits a tree depth-first, pre-order; `visit` adds the node and names its children (left, then right). */
  private walk(
    root: unknown,
    rootPath: string,
    visit: (
      node: unknown,
      path: string,
      depth: number,
    ) => number | { index: number; left: { node: unknown; path: string }; right: { node: unknown; path: string } },
  ): number {
    const stack: Pending[] = [{ node: root, path: rootPath, depth: 0, parent: -1, isLeft: false }];
    let rootIndex = -1;
    while (stack.length > 0) {
      const { node, path, depth, parent, isLeft } = stack.pop()!;
      if (depth > MAX_TREE_DEPTH)
        fail(TreeModelErrorCode.UNSUPPORTED, path, `trees deeper than ${MAX_TREE_DEPTH} levels are not supported`);
      const visited = visit(node, path, depth);
      const index = typeof visited === 'number' ? visited : visited.index;
      if (typeof visited === 'number') this.maxDepth = Math.max(this.maxDepth, depth);
      if (parent < 0) rootIndex = index;
      else if (isLeft) this.left[parent] = index;
      else this.right[parent] = index;
      if (typeof visited !== 'number') {
        stack.push({ ...visited.right, depth: depth + 1, parent: index, isLeft: false });
        stack.push({ ...visited.left, depth: depth + 1, parent: index, isLeft: true });
      }
    }
    return rootIndex;
  }

  private leaf(value: number, cover: number): number {
    return this.push(LEAF, 0, false, false, value, cover);
  }

  private split(feature: number, threshold: number, missingLeft: boolean, zeroIsMissing: boolean, cover: number) {
    return this.push(feature, threshold, missingLeft, zeroIsMissing, 0, cover);
  }

  private push(
    feature: number,
    threshold: number,
    missingLeft: boolean,
    zeroIsMissing: boolean,
    value: number,
    cover: number,
  ): number {
    this.feature.push(feature);
    this.threshold.push(threshold);
    this.left.push(-1);
    this.right.push(-1);
    this.missingLeft.push(missingLeft);
    this.zeroIsMissing.push(zeroIsMissing ? 1 : 0);
    this.value.push(value);
    this.cover.push(cover);
    return this.feature.length - 1;
  }

  private column(value: unknown, path: string): number {
    if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) >= this.featureCount)
      fail(
        TreeModelErrorCode.INVALID_VALUE,
        path,
        `expected a column index in [0, ${this.featureCount - 1}] (feature_names has ${this.featureCount}), got ${describe(value)}`,
      );
    return value as number;
  }

  /** TreeSHAP divides by covers, so every node that is not a lone root leaf needs a positive one. */
  private coverOf(json: Json, key: string, path: string, depth: number): number {
    const cover = finite(field(json, key, path), `${path}.${key}`);
    if (!(cover > 0) && !(depth === 0 && cover === 0))
      fail(TreeModelErrorCode.INVALID_VALUE, `${path}.${key}`, `expected a positive cover, got ${cover}`);
    return cover;
  }
}

function readFeatureNames(value: unknown): string[] {
  if (!Array.isArray(value))
    fail(TreeModelErrorCode.INVALID_TYPE, '$.feature_names', `expected a list of names, got ${describe(value)}`);
  if (value.length === 0)
    fail(TreeModelErrorCode.INVALID_VALUE, '$.feature_names', 'a model needs at least one feature');
  const seen = new Set<string>();
  value.forEach((name, i) => {
    const path = `$.feature_names[${i}]`;
    if (typeof name !== 'string' || name === '')
      fail(TreeModelErrorCode.INVALID_TYPE, path, `expected a non-empty string, got ${describe(name)}`);
    if (seen.has(name)) fail(TreeModelErrorCode.INVALID_VALUE, path, `duplicate feature name "${name}"`);
    seen.add(name);
  });
  return [...(value as string[])];
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** The largest float32 strictly below the float32 `t`: for float32 x, `x < t` ⇔ `x <= float32Below(t)`. */
export function float32Below(t: number): number {
  if (t === 0) return -Math.pow(2, -149);
  f32[0] = t;
  if (t > 0) f32Bits[0] -= 1;
  else f32Bits[0] += 1;
  return f32[0];
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(TreeModelErrorCode.INVALID_TYPE, path, `expected an object, got ${describe(value)}`);
  return value as Json;
}

function field(json: Json, key: string, path: string): unknown {
  if (!(key in json) || json[key] === undefined) fail(TreeModelErrorCode.MISSING_KEY, `${path}.${key}`, 'is missing');
  return json[key];
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number')
    fail(TreeModelErrorCode.INVALID_TYPE, path, `expected a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) fail(TreeModelErrorCode.INVALID_VALUE, path, `expected a finite number, got ${value}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function fail(code: TreeModelErrorCode, path: string, problem: string): never {
  throw new TreeModelError(code, path, problem);
}
