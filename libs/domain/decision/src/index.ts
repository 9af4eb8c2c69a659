export { DecisionPolicyError, DecisionPolicyErrorCode, type DecisionPolicyProblem } from './decision-policy.errors';
export { DEFAULT_RULE_PRECEDENCE, parsePolicy } from './decision-policy.parser';
export type {
  DecideInput,
  DecisionPolicy,
  FallbackMode,
  FeaturesFallbackMode,
  FlagEscalation,
  ModelScore,
  RaisedOutcome,
  RuleErrorInput,
  RuleErrorMode,
  ScoreBand,
} from './decision-policy.types';
export { decide, DegradedCode, PolicyReasonCode } from './decision.policy';
