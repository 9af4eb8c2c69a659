// Hand-built argus-trees/1 documents, in the shape the trainer writes them (see apps/trainer trees.py).
import { LEAF } from '../tree-nodes.types';
import { goesLeft, loadRow } from '../tree-model.walker';
import { type TreeModel } from '../tree-ensemble.model';

export type LightGbmNode =
  | { leaf_value: number; leaf_count?: number }
  | {
      split_feature: number;
      threshold: number;
      decision_type: string;
      default_left: boolean;
      missing_type: string;
      internal_count: number;
      left_child: LightGbmNode;
      right_child: LightGbmNode;
    };

export function lgbLeaf(value: number, count: number): LightGbmNode {
  return { leaf_value: value, leaf_count: count };
}

/** A LightGBM split; its count is the sum of its children's. */
export function lgbSplit(
  feature: number,
  threshold: number,
  left: LightGbmNode,
  right: LightGbmNode,
  missing: { missing_type?: 'None' | 'Zero' | 'NaN'; default_left?: boolean } = {},
): LightGbmNode {
  return {
    split_feature: feature,
    threshold,
    decision_type: '<=',
    default_left: missing.default_left ?? true,
    missing_type: missing.missing_type ?? 'None',
    internal_count: count(left) + count(right),
    left_child: left,
    right_child: right,
  };
}

function count(node: LightGbmNode): number {
  return 'leaf_value' in node ? (node.leaf_count ?? 0) : node.internal_count;
}

export function lightgbmDoc(trees: LightGbmNode[], featureNames: string[], baseMargin = 0): Record<string, unknown> {
  return {
    format: 'argus-trees/1',
    kind: 'lightgbm',
    feature_names: featureNames,
    base_margin: baseMargin,
    trees: trees.map((tree, i) => ({ tree_index: i, num_leaves: 0, num_cat: 0, shrinkage: 1, tree_structure: tree })),
  };
}

/** An XGBoost tree written without ids; {@link xgboostTree} numbers the nodes as XGBoost does (breadth first). */
export type XgbSketch =
  | { leaf: number; cover: number }
  | { split: number; condition: number; yes: XgbSketch; no: XgbSketch; missingYes?: boolean };

export function xgbLeaf(leaf: number, cover: number): XgbSketch {
  return { leaf, cover };
}

export function xgbSplit(
  split: number,
  condition: number,
  yes: XgbSketch,
  no: XgbSketch,
  missingYes = true,
): XgbSketch {
  return { split, condition, yes, no, missingYes };
}

function sketchCover(node: XgbSketch): number {
  return 'leaf' in node ? node.cover : sketchCover(node.yes) + sketchCover(node.no);
}

/** The get_dump(dump_format="json", with_stats=True) form; children listed "no" first when `swap`, to show order does not matter. */
export function xgboostTree(root: XgbSketch, swap = false): Record<string, unknown> {
  const ids = new Map<XgbSketch, number>();
  const queue: XgbSketch[] = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    ids.set(node, ids.size);
    if (!('leaf' in node)) queue.push(node.yes, node.no);
  }
  const build = (node: XgbSketch, depth: number): Record<string, unknown> => {
    const nodeid = ids.get(node)!;
    if ('leaf' in node) return { nodeid, leaf: node.leaf, cover: node.cover };
    const yes = build(node.yes, depth + 1);
    const no = build(node.no, depth + 1);
    return {
      nodeid,
      depth,
      split: `f${node.split}`,
      split_condition: node.condition,
      yes: ids.get(node.yes),
      no: ids.get(node.no),
      missing: node.missingYes === false ? ids.get(node.no) : ids.get(node.yes),
      gain: 1,
      cover: sketchCover(node),
      children: swap ? [no, yes] : [yes, no],
    };
  };
  return build(root, 0);
}

export function xgboostDoc(trees: XgbSketch[], featureNames: string[], baseMargin = 0): Record<string, unknown> {
  return {
    format: 'argus-trees/1',
    kind: 'xgboost',
    feature_names: featureNames,
    base_margin: baseMargin,
    trees: trees.map((tree, i) => xgboostTree(tree, i % 2 === 1)),
  };
}

/**
 * Shapley values by their definition, for checking: every coalition S of the model's features, valued by the
 * path-dependent expectation of Lundberg et al.'s Algorithm 1 (a split on a feature in S follows the row; any
 * other split averages its children by cover). Exponential in the number of features: keep it under ~12.
 */
export function bruteForceShap(model: TreeModel, row: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(loadRow(model, row));
  const { nodes, roots, featureCount: m } = model;
  const expectation = (n: number, coalition: number): number => {
    if (nodes.feature[n] === LEAF) return nodes.value[n];
    if ((coalition & (1 << nodes.feature[n])) !== 0)
      return expectation(goesLeft(nodes, n, x) === 1 ? nodes.left[n] : nodes.right[n], coalition);
    const l = nodes.left[n];
    const r = nodes.right[n];
    return (nodes.cover[l] * expectation(l, coalition) + nodes.cover[r] * expectation(r, coalition)) / nodes.cover[n];
  };
  const worth = new Float64Array(1 << m);
  for (let coalition = 0; coalition < 1 << m; coalition += 1) {
    for (const root of roots) worth[coalition] += expectation(root, coalition);
  }
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const phi = new Float64Array(m);
  for (let i = 0; i < m; i += 1) {
    for (let coalition = 0; coalition < 1 << m; coalition += 1) {
      if ((coalition & (1 << i)) !== 0) continue;
      let size = 0;
      for (let j = 0; j < m; j += 1) if ((coalition & (1 << j)) !== 0) size += 1;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i] += weight * (worth[coalition | (1 << i)] - worth[coalition]);
    }
  }
  return phi;
}

/** Reproducible random trees and rows. */
export { seededRandom as prng } from '@argus/contracts';

/** Thresholds and row values come from this grid, so rows often sit exactly on a threshold. */
export const GRID = [-1, -0.5, 0, 0.25, 0.5, 1];

/** A random LightGBM tree over `features` columns: repeated features on a path, all three missing types. */
export function randomLightGbmTree(random: () => number, features: number, depth: number): LightGbmNode {
  if (depth === 0 || random() < 0.15)
    return lgbLeaf(Math.round((random() - 0.5) * 2000) / 1000, 1 + Math.floor(random() * 50));
  const types = ['None', 'Zero', 'NaN'] as const;
  return lgbSplit(
    Math.floor(random() * features),
    GRID[Math.floor(random() * GRID.length)]!,
    randomLightGbmTree(random, features, depth - 1),
    randomLightGbmTree(random, features, depth - 1),
    { missing_type: types[Math.floor(random() * 3)], default_left: random() < 0.5 },
  );
}

export function randomXgboostTree(random: () => number, features: number, depth: number): XgbSketch {
  if (depth === 0 || random() < 0.15) return xgbLeaf(Math.round((random() - 0.5) * 2000) / 1000, 0.5 + random() * 20);
  return xgbSplit(
    Math.floor(random() * features),
    GRID[Math.floor(random() * GRID.length)]!,
    randomXgboostTree(random, features, depth - 1),
    randomXgboostTree(random, features, depth - 1),
    random() < 0.5,
  );
}

export function randomRow(random: () => number, features: number): Float64Array {
  return Float64Array.from({ length: features }, () => {
    const pick = random();
    if (pick < 0.15) return NaN;
    if (pick < 0.25) return 1e-36;
    return GRID[Math.floor(random() * GRID.length)]! + (random() < 0.5 ? 0 : 0.1);
  });
}
