import type { RuleAction, RuleHit } from '@argus/contracts';
import type { ConditionProgram, RulePhase } from './rule-condition.compiler';
import type { ReasonTemplate } from './reason.template';

/** One rule as written in the file. */
export interface RuleDefinition {
  readonly id: string;
  readonly description: string | null;
  /** The reason template (`reason`, or `description` when there is no `reason`). */
  readonly reason: string;
  readonly action: RuleAction;
  /** Higher first. */
  readonly priority: number;
  readonly enabled: boolean;
  /** The CEL condition, as written. */
  readonly when: string;
  /** Where the rule starts in the file (1-based). */
  readonly line: number;
}

/** A rule with its condition and reason compiled once, at load time. */
export interface CompiledRule extends RuleDefinition {
  readonly condition: ConditionProgram;
  /** `transaction`: runs with the features, in parallel with scoring; `score`: runs once the score is known. */
  readonly phase: RulePhase;
  readonly template: ReasonTemplate;
}

export interface RuleSet {
  readonly name: string;
  readonly description: string | null;
  /** `<name>@<sha256 prefix of the text>`: names exactly which rules were in force. */
  readonly version: string;
  readonly sourceName: string;
  readonly lists: Readonly<Record<string, readonly string[]>>;
  /** Every rule, disabled ones included, in evaluation order: priority descending, then id. */
  readonly rules: readonly CompiledRule[];
}

/** A rule whose condition failed at run time (it did not fire). */
export interface RuleEvaluationError {
  readonly rule_id: string;
  readonly message: string;
}

export interface RuleEvaluation {
  readonly ruleSetVersion: string;
  /** Rules whose condition held: priority descending, then id. */
  readonly hits: RuleHit[];
  readonly errors: RuleEvaluationError[];
}
