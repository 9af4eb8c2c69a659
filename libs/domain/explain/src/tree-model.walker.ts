import { TreeModelError, TreeModelErrorCode } from './tree-model.errors';
import { type TreeModel } from './tree-ensemble.model';
import { LEAF, ZERO_THRESHOLD, type CompiledNodes } from './tree-nodes.types';

/** A feature vector in the model's feature order; NaN = missing. Float64Array, Float32Array or number[]. */
export type FeatureRow = ArrayLike<number>;

/**
 * Copies `row` into the model's scratch buffer as float32 values — what the ONNX model and both libraries
 * compare against thresholds — so the hot loops read one monomorphic Float64Array whatever the caller passed.
 */
export function loadRow(model: TreeModel, row: FeatureRow): Float64Array {
  if (row.length !== model.featureCount)
    throw new TreeModelError(
      TreeModelErrorCode.ROW_LENGTH,
      'row',
      `has ${row.length} values; the model has ${model.featureCount} features`,
    );
  const x = model.rowScratch;
  for (let i = 0; i < x.length; i += 1) x[i] = Math.fround(row[i]);
  return x;
}

/**
 * 1 when the row `x` (float32 values) goes to the left child of internal node `n`, else 0 — a number, so that
 * TreeSHAP can use it without branching on it.
 */
export function goesLeft(nodes: CompiledNodes, n: number, x: Float64Array): number {
  const v = x[nodes.feature[n]];
  if (v !== v || (nodes.zeroIsMissing[n] === 1 && v >= -ZERO_THRESHOLD && v <= ZERO_THRESHOLD))
    return Number(nodes.missing[n] === nodes.left[n]);
  return Number(v <= nodes.threshold[n]);
}

/**
 * The raw margin (log-odds of fraud) of `row`: `base_margin` plus the leaf each tree sends the row to, summed in
 * float64 — the trainer's `trees.tree_margin`. LightGBM's `raw_score` agrees to ~1e-14; XGBoost sums its float32
 * leaves in float32, so its `output_margin` differs by that rounding (a few 1e-6 over a few hundred trees).
 */
export function margin(model: TreeModel, row: FeatureRow): number {
  const x = loadRow(model, row);
  const nodes = model.nodes;
  const feature = nodes.feature;
  const roots = model.roots;
  let sum = model.baseMargin;
  for (let t = 0; t < roots.length; t += 1) {
    let n = roots[t];
    while (feature[n] !== LEAF) n = goesLeft(nodes, n, x) === 1 ? nodes.left[n] : nodes.right[n];
    sum += nodes.value[n];
  }
  return sum;
}
