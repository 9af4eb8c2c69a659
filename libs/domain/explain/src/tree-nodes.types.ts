/** LightGBM's kZeroThreshold: with `missing_type Zero`, |x| ≤ this counts as missing. */
export const ZERO_THRESHOLD = 1e-35;

/** Marks a leaf in {@link CompiledNodes.feature}. */
export const LEAF = -1;

/**
 * Every node of every tree, one slot per node in flat typed arrays (trees one after the other, each in
 * depth-first pre-order so a parent and its children sit close in memory). Indices are absolute.
 *
 * The decision at an internal node `n` for a row value `x` (a float32, NaN = missing) is, for both kinds:
 * `NaN → missing[n]`; else `zeroIsMissing[n] && |x| ≤ 1e-35 → missing[n]`; else `x ≤ threshold[n] → left[n]`;
 * else `right[n]`. The parser bakes each library's own rule into these arrays (see tree-model.parser.ts).
 */
export interface CompiledNodes {
  /** Column of the split, or {@link LEAF}. */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Where NaN goes (and, when `zeroIsMissing`, where zero goes). */
  readonly missing: Int32Array;
  readonly zeroIsMissing: Uint8Array;
  /** A leaf's value; for an internal node, the cover-weighted mean of the leaves below it. */
  readonly value: Float64Array;
  /** How much training data reached the node: LightGBM's data counts, XGBoost's hessian sums. */
  readonly cover: Float64Array;
}
