import { Environment, ParseError } from '@marcbachmann/cel-js';
import {
  RULE_GEO_FIELDS,
  RULE_TRANSACTION_FIELDS,
  RuleGeo,
  RuleTransaction,
  type RuleContext,
} from './rule-context.builder';

/** A compiled `when` condition: call it with a rule context, get the condition's value. */
export type ConditionProgram = (context: RuleContext) => unknown;

export type CompiledCondition = { readonly ok: true; readonly program: ConditionProgram };

export interface ConditionFault {
  readonly ok: false;
  readonly kind: 'syntax' | 'type';
  /** One line, without the engine's source excerpt. */
  readonly message: string;
  /** Character index in the expression where the fault is. */
  readonly index: number;
}

// Limits keep a hostile or careless rule file from building an expression that is slow to parse or check.
const LIMITS = { maxAstNodes: 2_000, maxDepth: 64, maxListElements: 1_000, maxMapEntries: 1_000, maxCallArguments: 16 };

let baseEnvironment: Environment | undefined;

/** Built once per process: environment set-up is the costly part of the engine. */
function base(): Environment {
  baseEnvironment ??= new Environment({ enableOptionalTypes: true, limits: LIMITS })
    .registerType('RuleGeo', { ctor: RuleGeo, fields: { ...RULE_GEO_FIELDS } })
    .registerType('RuleTransaction', { ctor: RuleTransaction, fields: { ...RULE_TRANSACTION_FIELDS } })
    .registerVariable('txn', 'RuleTransaction', { description: 'The normalised transaction with derived fields' })
    .registerVariable('features', 'map<string, double>', { description: 'Behavioural features by name' })
    // dyn: the score is null when no model took part, and `score != null && score >= 90` must type-check.
    .registerVariable('score', 'dyn', { description: 'Model score 0–100, or null' });
  return baseEnvironment;
}

/**
 * Compiles the conditions of one rule set. The set's lists are a constant of its own environment, each a
 * map from item to true so that `x in lists.name` is a hash lookup whatever the list's size, and a
 * reference to a list the set does not declare is refused by the type checker.
 */
export class RuleConditionCompiler {
  private readonly environment: Environment;

  constructor(lists: Readonly<Record<string, readonly string[]>>) {
    // A fresh class per rule set: the engine identifies a message type by its constructor.
    const RuleLists = class RuleLists {};
    const value: Record<string, Map<string, boolean>> = new RuleLists() as Record<string, Map<string, boolean>>;
    const fields: Record<string, string> = {};
    for (const [name, items] of Object.entries(lists)) {
      value[name] = new Map(items.map((item) => [item, true]));
      fields[name] = 'map<string, bool>';
    }
    this.environment = base()
      .clone()
      .registerType('RuleLists', { ctor: RuleLists, fields })
      .registerConstant('lists', 'RuleLists', value);
  }

  compile(expression: string): CompiledCondition | ConditionFault {
    let parsed: ReturnType<Environment['parse']>;
    try {
      parsed = this.environment.parse(expression);
    } catch (error) {
      if (error instanceof ParseError)
        return { ok: false, kind: 'syntax', message: summary(error), index: error.range?.start ?? 0 };
      throw error;
    }
    const checked = parsed.check();
    if (!checked.valid) {
      const fault = checked.error;
      return {
        ok: false,
        kind: 'type',
        message: fault ? summary(fault) : 'does not type-check',
        index: fault?.range?.start ?? 0,
      };
    }
    if (checked.type !== 'bool' && checked.type !== 'dyn') {
      return {
        ok: false,
        kind: 'type',
        message: `a condition must be a bool, this one is a ${checked.type}`,
        index: 0,
      };
    }
    return { ok: true, program: parsed as ConditionProgram };
  }
}

function summary(error: Error & { summary?: string }): string {
  return error.summary ?? error.message.split('\n')[0] ?? error.message;
}
