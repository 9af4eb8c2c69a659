import type { RuleHit } from '@argus/contracts';
import type { RulePhase } from './rule-condition.compiler';
import { renderReason } from './reason.template';
import type { RuleContext } from './rule-context.builder';
import type { RuleEvaluation, RuleEvaluationError, RuleSet } from './rule-set.types';

/** Which rules to run: those of one phase, or all of them (when the score is already in the context). */
export type PhaseSelection = RulePhase | 'all';

/**
 * Runs every enabled rule of the selected phase against one context. A rule whose condition fails at run time (a feature that
 * is absent, a field that is not set) does not fire: it is recorded in `errors` and the others still run.
 * Hits come out highest priority first, then by id, because the rules are kept in that order.
 */
export function evaluate(ruleSet: RuleSet, context: RuleContext, phase: PhaseSelection = 'all'): RuleEvaluation {
  const hits: RuleHit[] = [];
  const errors: RuleEvaluationError[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.enabled || (phase !== 'all' && rule.phase !== phase)) continue;
    let result: unknown;
    try {
      result = rule.condition(context);
    } catch (error) {
      errors.push({ rule_id: rule.id, message: `condition failed: ${summary(error)}` });
      continue;
    }
    if (result === true) {
      hits.push({
        rule_id: rule.id,
        action: rule.action,
        priority: rule.priority,
        reason: renderReason(rule.template, context),
      });
    } else if (result !== false) {
      errors.push({ rule_id: rule.id, message: `condition returned ${describe(result)}, not a bool` });
    }
  }
  return { ruleSetVersion: ruleSet.version, hits, errors };
}

function summary(error: unknown): string {
  if (error instanceof Error) {
    const withSummary = error as Error & { summary?: string };
    return withSummary.summary ?? error.message.split('\n')[0] ?? error.message;
  }
  return String(error);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : `${typeof value} ${String(value)}`;
}
