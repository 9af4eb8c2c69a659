import { readFileSync } from 'node:fs';
import { formatProblem, parseRuleSet, RuleSetError, type RuleSetProblem } from '@argus/rules';
import { ruleSetInfo, type RuleSetInfo } from './rules.backtest';

export type RuleSetCheck =
  | (RuleSetInfo & { readonly ok: true; readonly disabled: number })
  | {
      readonly ok: false;
      readonly file: string;
      /** Every problem in the file, in source order (empty when the file could not be read). */
      readonly problems: readonly RuleSetProblem[];
      /** Why the file could not be read at all; null when it was read and refused. */
      readonly error: string | null;
    };

/** An fs error may come from another realm (Jest's sandbox), where `instanceof Error` is false. */
function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

/** Parses one rule-set file exactly as the rules service would, and says what it holds or what is wrong. */
export function checkRuleSetFile(file: string): RuleSetCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, file, problems: [], error: `cannot read: ${messageOf(error)}` };
  }
  try {
    const ruleSet = parseRuleSet(text, file);
    return {
      ...ruleSetInfo(file, ruleSet),
      ok: true,
      disabled: ruleSet.rules.filter((rule) => !rule.enabled).length,
    };
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return { ok: false, file, problems: error.errors, error: null };
  }
}

/** `ok <file> <version> (…)`, or one `file:line:col: message` line per problem (what editors jump to). */
export function formatRuleSetCheck(check: RuleSetCheck): string {
  if (check.ok) {
    return `ok ${check.file} ${check.version} (${check.rules} rules: ${check.transaction_phase} transaction-phase, ${check.score_phase} score-phase)\n`;
  }
  if (check.error !== null) return `${check.file}: ${check.error}\n`;
  return check.problems.map((problem) => `${formatProblem(check.file, problem)}\n`).join('');
}
