import { TreeModelError, TreeModelErrorCode } from './tree-model.errors';
import { type TreeModel } from './tree-ensemble.model';
import { LEAF } from './tree-nodes.types';
import { goesLeft, loadRow, type FeatureRow } from './tree-model.walker';

/** One feature's share of a row's margin. */
export interface FeatureContribution {
  readonly feature: string;
  /** The row's raw value (not rounded to float32); NaN when the feature was missing. */
  readonly value: number;
  /** Its TreeSHAP value, in log-odds. */
  readonly contribution: number;
}

/** The TreeSHAP bias term: `base_margin` + every tree's cover-weighted mean leaf value (pred_contrib's last column). */
export function expectedValue(model: TreeModel): number {
  return model.expectedValue;
}

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent Individualized Feature Attribution
 * for Tree Ensembles") — the values of LightGBM's `pred_contrib` and XGBoost's `pred_contribs`. Writes one
 * contribution per feature into `out` (zeroed first; allocated when absent) and returns it;
 * `sum(out) + expectedValue(model) = margin(model, row)`.
 *
 * A split's "hot" child is the one the row goes to — for NaN, the missing/default child — and a child's zero
 * fraction is its cover over its parent's. Rather than Algorithm 2's path bookkeeping at every node, each
 * leaf's share is computed in closed form (the weights Algorithm 2 accumulates are these Shapley weights;
 * the parity test holds the result to both libraries). For a leaf with value v and d distinct features on its
 * path, let z_k be feature k's zero fraction along the path (the product over its splits), H the features the
 * row follows the path on at every split (hot; the others are cold), c_s = s!(d−s−1)!/d! and
 * G(A) = Σ_{S ⊆ A} c_{|S|} · Π_{j ∉ S} z_j. Then
 *
 *   a cold feature gets  −v · G(H)
 *   a hot feature k gets  v · (1 − z_k) / z_k · G(H ∖ {k})
 *
 * Leaves with few features (see `TreeModelOptions.maxTableWidth`) have v·G tabulated for every subset
 * (Fast TreeSHAP v2, Yang 2022), so a leaf costs O(d) per row; wider ones use the generating function
 * P(t) = Π_k (z_k + o_k·t) (o_k = 1 if hot): G(H) = Σ_s c_s·[tˢ]P and G(H ∖ {k}) = z_k · Σ_s c_s·[tˢ] P/(z_k + t),
 * O(d²) per row. Either way one pass over each tree's nodes, no allocation, no branch on the row's data in
 * the per-feature loops.
 */
export function treeShap(model: TreeModel, row: FeatureRow, out?: Float64Array): Float64Array {
  const phi = out ?? new Float64Array(model.featureCount);
  if (phi.length !== model.featureCount)
    throw new TreeModelError(
      TreeModelErrorCode.ROW_LENGTH,
      'out',
      `has ${phi.length} slots; the model has ${model.featureCount} features`,
    );
  const x = loadRow(model, row);
  phi.fill(0);
  const roots = model.roots;
  const nodeCount = model.nodes.feature.length;
  for (let t = 0; t < roots.length; t += 1)
    explainTree(model, x, phi, roots[t], t + 1 < roots.length ? roots[t + 1] : nodeCount);
  return phi;
}

/**
 * The `k` features with the largest |contribution| (ties by feature name), largest first. Features whose
 * contribution is exactly 0 (no split on them along the paths that matter) are never listed, so fewer than
 * `k` may come back.
 */
export function topContributions(model: TreeModel, row: FeatureRow, k = 5): FeatureContribution[] {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
  const phi = treeShap(model, row, model.phiScratch);
  const names = model.featureNames;
  const chosen: number[] = [];
  for (let i = 0; i < phi.length; i += 1) {
    if (phi[i] === 0) continue;
    // Insertion into the (at most k) best so far: k is small, a full sort of ~123 features is not needed.
    let at = chosen.length;
    while (at > 0 && ranksBefore(phi, names, i, chosen[at - 1])) at -= 1;
    if (at < k) {
      chosen.splice(at, 0, i);
      if (chosen.length > k) chosen.pop();
    }
  }
  return chosen.map((i) => ({ feature: names[i], value: row[i], contribution: phi[i] }));
}

function ranksBefore(phi: Float64Array, names: readonly string[], a: number, b: number): boolean {
  const difference = Math.abs(phi[a]) - Math.abs(phi[b]);
  return difference > 0 || (difference === 0 && names[a] < names[b]);
}

/** Adds one tree's contributions: a single pass over its nodes in pre-order (parents before children). */
function explainTree(model: TreeModel, x: Float64Array, phi: Float64Array, root: number, end: number): void {
  const nodes = model.nodes;
  const feature = nodes.feature;
  const leftChild = nodes.left;
  const rightChild = nodes.right;
  const hotNode = model.hotScratch;
  const paths = model.leafPaths;
  const pathFeature = paths.feature;
  const hotFactor = paths.hotFactor;
  const stepEnd = paths.stepEnd;
  const step = paths.step;
  const table = paths.table;
  for (let n = root; n < end; n += 1) {
    if (feature[n] !== LEAF) {
      // Two stores of a computed 0/1 rather than a branch on which child is hot (a coin toss the CPU would
      // mispredict).
      const left = goesLeft(nodes, n, x);
      hotNode[leftChild[n]] = left;
      hotNode[rightChild[n]] = 1 - left;
      continue;
    }
    const width = paths.width[n];
    if (width === 0) continue;
    const tableAt = paths.tableOffset[n];
    if (tableAt < 0) {
      wideLeaf(model, phi, n, width);
      continue;
    }
    const at = paths.offset[n];
    // held: bit k set when the row follows the path on feature k (goes to every node after its splits).
    let held = 0;
    let s = paths.firstStep[n];
    for (let k = 0; k < width; k += 1) {
      let follows = 1;
      for (const last = stepEnd[at + k]; s < last; s += 1) follows &= hotNode[step[s]];
      held |= follows << k;
    }
    const coldShare = -table[tableAt + held];
    for (let k = 0; k < width; k += 1) {
      // hot is exactly 0 or 1: picks one of the two shares without a branch (and without rounding).
      const hot = (held >>> k) & 1;
      const hotShare = hotFactor[at + k] * table[tableAt + (held ^ (1 << k))];
      phi[pathFeature[at + k]] += hot * hotShare + (1 - hot) * coldShare;
    }
  }
}

/** A leaf without a table: G from the coefficients of P(t) = Π_k (z_k + o_k·t), O(d²). */
function wideLeaf(model: TreeModel, phi: Float64Array, n: number, width: number): void {
  const paths = model.leafPaths;
  const pathZero = paths.zero;
  const stepEnd = paths.stepEnd;
  const step = paths.step;
  const hotNode = model.hotScratch;
  const follow = model.followScratch;
  const p = model.polynomialScratch;
  const weights = model.shapleyWeights;
  const row = width * (model.maxDepth + 1);
  const at = paths.offset[n];
  let s = paths.firstStep[n];
  p[0] = 1;
  for (let k = 0; k < width; k += 1) {
    let follows = 1;
    for (const last = stepEnd[at + k]; s < last; s += 1) follows &= hotNode[step[s]];
    follow[k] = follows;
    const z = pathZero[at + k];
    p[k + 1] = follows * p[k];
    for (let m = k; m >= 1; m -= 1) p[m] = z * p[m] + follows * p[m - 1];
    p[0] *= z;
  }
  const value = model.nodes.value[n];
  // [t^d] P is 1 only when every feature is hot, and then no feature takes the cold share.
  let coldSum = 0;
  for (let m = 0; m < width; m += 1) coldSum += weights[row + m] * p[m];
  const coldShare = -value * coldSum;
  for (let k = 0; k < width; k += 1) {
    // P(t) / (z_k + t) by synthetic division from the top (stable: 0 < z_k ≤ 1). Meaningless for a cold
    // feature (P has the factor z_k, not z_k + t), but finite and then multiplied by 0.
    const z = pathZero[at + k];
    let q = p[width];
    let hotSum = weights[row + width - 1] * q;
    for (let m = width - 1; m >= 1; m -= 1) {
      q = p[m] - z * q;
      hotSum += weights[row + m - 1] * q;
    }
    const hot = follow[k];
    phi[paths.feature[at + k]] += hot * (value * (1 - z) * hotSum) + (1 - hot) * coldShare;
  }
}
