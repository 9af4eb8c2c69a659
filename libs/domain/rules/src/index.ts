export {
  buildRuleContext,
  DEFAULT_CURRENCY_EXPONENTS,
  RuleGeo,
  RuleTransaction,
  type RuleContext,
  type RuleContextExtras,
} from './rule-context.builder';
export type { ConditionProgram, RulePhase } from './rule-condition.compiler';
export { MISSING_VALUE, renderReason, type ReasonTemplate } from './reason.template';
export { formatProblem, RuleSetError, RuleSetErrorCode, type RuleSetProblem } from './rule-set.errors';
export { evaluate, type PhaseSelection } from './rule-set.evaluator';
export { parseRuleSet } from './rule-set.parser';
export type { CompiledRule, RuleDefinition, RuleEvaluation, RuleEvaluationError, RuleSet } from './rule-set.types';
export { canonicalRuleText, ruleSetVersion } from './rule-set.version';
