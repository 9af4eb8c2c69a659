import { LEAF, type CompiledNodes } from './tree-nodes.types';

/**
 * What TreeSHAP needs to know about the path from the root to each leaf, computed once per model. For leaf `n`
 * with d = `width[n]` distinct features on its path (numbered k = 0 … d − 1 in order of first appearance from
 * the root), entry `offset[n] + k` of the per-feature arrays holds:
 * - `feature`: the column;
 * - `zero`: z_k, the product of the cover ratios child / parent of every split on that feature along the path
 *   (the share of training data that would reach the leaf if the feature were unknown);
 * - `hotFactor`: (1 − z_k) / z_k;
 * - `stepEnd`: with the previous entry's `stepEnd` (or `firstStep[n]` for k = 0), the range of `step` holding
 *   the nodes the path enters right after its splits on that feature — the row follows the path on the
 *   feature only if it goes to every one of them.
 * A leaf with d ≤ the model's table width also has `table[tableOffset[n] + A]` = v · G(A) for every subset A of
 * its features (bit k = feature k); `tableOffset[n]` is −1 otherwise. G is defined in treeshap.explainer.ts.
 */
export interface LeafPaths {
  readonly width: Int32Array;
  readonly offset: Int32Array;
  readonly firstStep: Int32Array;
  readonly tableOffset: Int32Array;
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly hotFactor: Float64Array;
  readonly stepEnd: Int32Array;
  readonly step: Int32Array;
  readonly table: Float64Array;
}

interface PathSplit {
  readonly feature: number;
  /** Cover of the child the path goes on to over the split's cover. */
  readonly ratio: number;
  readonly child: number;
}

export function summariseLeafPaths(nodes: CompiledNodes, roots: Int32Array, maxTableWidth: number): LeafPaths {
  const count = nodes.feature.length;
  const width = new Int32Array(count);
  const offset = new Int32Array(count);
  const firstStep = new Int32Array(count);
  const tableOffset = new Int32Array(count).fill(-1);
  const feature: number[] = [];
  const zero: number[] = [];
  const stepEnd: number[] = [];
  const step: number[] = [];
  const tables: Float64Array[] = [];
  let tableSize = 0;
  const path: PathSplit[] = [];

  const leaf = (n: number): void => {
    const distinct = [...new Set(path.map((split) => split.feature))];
    width[n] = distinct.length;
    offset[n] = feature.length;
    firstStep[n] = step.length;
    for (const f of distinct) {
      let product = 1;
      for (const split of path) {
        if (split.feature !== f) continue;
        product *= split.ratio;
        step.push(split.child);
      }
      feature.push(f);
      zero.push(product);
      stepEnd.push(step.length);
    }
    if (distinct.length <= maxTableWidth) {
      tableOffset[n] = tableSize;
      const table = leafTable(nodes.value[n], zero.slice(offset[n]));
      tables.push(table);
      tableSize += table.length;
    }
  };
  const visit = (n: number): void => {
    const f = nodes.feature[n];
    if (f === LEAF) {
      leaf(n);
      return;
    }
    for (const child of [nodes.left[n], nodes.right[n]]) {
      path.push({ feature: f, ratio: nodes.cover[child] / nodes.cover[n], child });
      visit(child);
      path.pop();
    }
  };
  for (const root of roots) visit(root);

  const table = new Float64Array(tableSize);
  let at = 0;
  for (const part of tables) {
    table.set(part, at);
    at += part.length;
  }
  return {
    width,
    offset,
    firstStep,
    tableOffset,
    feature: Int32Array.from(feature),
    zero: Float64Array.from(zero),
    hotFactor: Float64Array.from(zero, (z) => (1 - z) / z),
    stepEnd: Int32Array.from(stepEnd),
    step: Int32Array.from(step),
    table,
  };
}

/** v · G(A) for every subset A of a leaf's d features: G(A) = Σ_{S ⊆ A} s!(d − s − 1)!/d! · Π_{j ∉ S} z_j. */
function leafTable(value: number, zeros: readonly number[]): Float64Array {
  const d = zeros.length;
  const size = 2 ** d;
  const table = new Float64Array(size);
  const weights = shapleyWeights(d);
  for (let subset = 0; subset < size; subset += 1) {
    let members = 0;
    let product = 1;
    for (let j = 0; j < d; j += 1) {
      if ((subset & (1 << j)) !== 0) members += 1;
      else product *= zeros[j];
    }
    // S = every feature never occurs: the sums run over subsets of the features other than one.
    table[subset] = members < d ? weights[members] * product : 0;
  }
  // Sum over subsets (zeta transform): entry A becomes Σ_{S ⊆ A} of the entries above.
  for (let j = 0; j < d; j += 1) {
    const bit = 1 << j;
    for (let subset = 0; subset < size; subset += 1) {
      if ((subset & bit) !== 0) table[subset] += table[subset ^ bit];
    }
  }
  for (let subset = 0; subset < size; subset += 1) table[subset] *= value;
  return table;
}

/** s!(d − s − 1)!/d! = 1 / (d · C(d − 1, s)) for s = 0 … d − 1: the Shapley weight of a coalition of s of d players. */
export function shapleyWeights(d: number): Float64Array {
  const weights = new Float64Array(d);
  let binomial = 1;
  for (let s = 0; s < d; s += 1) {
    weights[s] = 1 / (d * binomial);
    binomial = (binomial * (d - 1 - s)) / (s + 1);
  }
  return weights;
}
