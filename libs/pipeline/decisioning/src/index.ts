export { noModelScore, scoreWithCatalog, type CatalogScoring } from './catalog.scorer';
export { combine, namedFeatures, type CombineInput, type MissingScore } from './combine.stage';
export { decideInProcess, type InProcessDecision, type InProcessDecisionDeps } from './decision.pipeline';
export {
  computeFeatureVectors,
  REDELIVERY,
  StateTimeoutError,
  type FeatureStageOptions,
  type FeatureStageResult,
} from './feature.stage';
export { ModelCatalog, type CatalogStatus, type Lease, type Refusal, type ServingModels } from './model.catalog';
export { loadModel, type LoadedModel } from './model.loader';
export { evaluateTransactionRules, UNNAMED_VECTOR } from './rules.stage';
export { ScoreJoin, type Joined, type ScoreJoinEvents, type ScoreJoinOptions } from './score.join';
export { stepUpLabel } from './step-up.label';
