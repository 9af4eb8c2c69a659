export { calibrate, type CalibrationMap } from './calibration';
export {
  assertSchemaMatches,
  MODEL_FORMAT,
  MODEL_KINDS,
  parseModelMetadata,
  type ModelKind,
  type ModelMetadata,
} from './model-metadata';
export {
  DEFAULT_SCORING_OPTIONS,
  scoreBatch,
  type Classifier,
  type Explainer,
  type ScoredBatch,
  type ScoringOptions,
  type ServableModel,
  type Unscored,
} from './model.scorer';
export {
  DEFAULT_RISK_TIERS,
  riskTier,
  SCORE_FLOOR_PROBABILITY,
  scoreFromProbability,
  validRiskTiers,
  type RiskTierThresholds,
} from './score.scale';
export { ModelError, ModelErrorCode } from './scoring.errors';
export {
  DEFAULT_GATE,
  promotionGate,
  type EvaluationHeadline,
  type GateResult,
  type GateThresholds,
  type ModelEvaluation,
} from './promotion.gate';
export { assembleModel, type ModelParts, type TreeExplainer } from './model.assembly';
