import { shapleyWeights, summariseLeafPaths, type LeafPaths } from './leaf-path.summary';
import { type CompiledNodes } from './tree-nodes.types';

export const TREE_MODEL_FORMAT = 'argus-trees/1';
export const TREE_MODEL_KINDS = ['lightgbm', 'xgboost'] as const;
export type TreeModelKind = (typeof TREE_MODEL_KINDS)[number];

export const DEFAULT_MAX_TABLE_WIDTH = 6;
export const MAX_TABLE_WIDTH = 12;

export interface TreeModelOptions {
  /**
   * Leaves with at most this many distinct features on their path get a precomputed TreeSHAP table of
   * 2^width numbers (8 bytes each; ≤ 512 bytes per leaf at the default 6, which covers every leaf of a
   * depth-6 model); wider leaves are computed in O(width²) per row instead. Same values either way; 0 uses
   * no tables (least memory, about 2× slower). At most {@link MAX_TABLE_WIDTH}.
   */
  readonly maxTableWidth?: number;
}

/**
 * A compiled `argus-trees/1` document: built by `parseTreeModel`, read by `margin`, `treeShap`,
 * `expectedValue` and `topContributions`.
 *
 * It also owns the scratch buffers those functions reuse (the row as float32, per-node and per-leaf working
 * space, the contributions of `topContributions`), so they allocate nothing per call. They are synchronous,
 * so one model may serve any number of callers on one thread; a worker thread parses its own model.
 */
export class TreeModel {
  readonly featureCount: number;
  readonly treeCount: number;
  /** Edges from a root to its deepest leaf, over all trees. */
  readonly maxDepth: number;
  /** `base_margin` plus every tree's cover-weighted mean leaf value: the TreeSHAP bias term. */
  readonly expectedValue: number;
  readonly leafPaths: LeafPaths;
  /** s!(d − s − 1)!/d! at `d · (maxDepth + 1) + s`, for s < d ≤ maxDepth. */
  readonly shapleyWeights: Float64Array;

  /** The row being read, as float32 values (what the ONNX model and the libraries compare). */
  readonly rowScratch: Float64Array;
  /** Per node: 1 when the row goes to it from its parent (it is its parent's "hot" child), else 0. */
  readonly hotScratch: Uint8Array;
  /** Per feature of the leaf being explained: 1 when the row follows the leaf's path on it, else 0. */
  readonly followScratch: Float64Array;
  /** Coefficients of Π_k (z_k + follows_k · t) for the leaf being explained. */
  readonly polynomialScratch: Float64Array;
  /** `topContributions`' contributions. */
  readonly phiScratch: Float64Array;

  constructor(
    readonly kind: TreeModelKind,
    readonly featureNames: readonly string[],
    readonly baseMargin: number,
    /** The root node of each tree; a tree's nodes run from its root to the next tree's. */
    readonly roots: Int32Array,
    readonly nodes: CompiledNodes,
    maxDepth: number,
    options: TreeModelOptions = {},
  ) {
    const tableWidth = options.maxTableWidth ?? DEFAULT_MAX_TABLE_WIDTH;
    if (!Number.isSafeInteger(tableWidth) || tableWidth < 0 || tableWidth > MAX_TABLE_WIDTH)
      throw new RangeError(`maxTableWidth must be an integer from 0 to ${MAX_TABLE_WIDTH}, got ${tableWidth}`);
    this.featureCount = featureNames.length;
    this.treeCount = roots.length;
    this.maxDepth = maxDepth;
    let expected = baseMargin;
    for (let t = 0; t < roots.length; t += 1) expected += nodes.value[roots[t]];
    this.expectedValue = expected;
    this.leafPaths = summariseLeafPaths(nodes, roots, tableWidth);

    const stride = maxDepth + 1;
    this.shapleyWeights = new Float64Array(stride * stride);
    for (let d = 1; d <= maxDepth; d += 1) this.shapleyWeights.set(shapleyWeights(d), d * stride);

    this.rowScratch = new Float64Array(this.featureCount);
    this.hotScratch = new Uint8Array(nodes.feature.length);
    this.followScratch = new Float64Array(stride);
    this.polynomialScratch = new Float64Array(stride + 1);
    this.phiScratch = new Float64Array(this.featureCount);
  }
}
