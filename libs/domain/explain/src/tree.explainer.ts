import { parseTreeModel } from './tree-model.parser';
import { margin } from './tree-model.walker';
import { topContributions, type FeatureContribution } from './treeshap.explainer';

/** A compiled trees.json as the scorer consumes it: its features, its raw margin and its top contributions. */
export interface TreeExplainer {
  readonly featureNames: readonly string[];
  margin(row: Float64Array): number;
  top(row: Float64Array, k: number): FeatureContribution[];
}

/** Parses and compiles an `argus-trees/1` document (bytes of trees.json) into a {@link TreeExplainer}. */
export function treeExplainer(treesJson: Uint8Array): TreeExplainer {
  const model = parseTreeModel(JSON.parse(Buffer.from(treesJson).toString('utf8')) as unknown);
  return {
    featureNames: model.featureNames,
    margin: (row) => margin(model, row),
    top: (row, k) => topContributions(model, row, k),
  };
}
