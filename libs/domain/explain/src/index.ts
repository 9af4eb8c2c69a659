export { TreeModelError, TreeModelErrorCode } from './tree-model.errors';
export {
  DEFAULT_MAX_TABLE_WIDTH,
  MAX_TABLE_WIDTH,
  TREE_MODEL_FORMAT,
  TREE_MODEL_KINDS,
  type TreeModel,
  type TreeModelKind,
  type TreeModelOptions,
} from './tree-ensemble.model';
export { type CompiledNodes } from './tree-nodes.types';
export { MAX_TREE_DEPTH, parseTreeModel } from './tree-model.parser';
export { margin, type FeatureRow } from './tree-model.walker';
export { expectedValue, topContributions, treeShap, type FeatureContribution } from './treeshap.explainer';
export { treeExplainer, type TreeExplainer } from './tree.explainer';
