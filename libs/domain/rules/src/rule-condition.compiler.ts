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

/**
 * When a condition can run. `transaction` conditions read `txn`, `features` and `lists`: the rules service
 * runs them in parallel with scoring. `score` conditions read the model score (with `txn` and `lists`): they
 * run once the score is known, in the decision combiner (or the gateway), where the features are not carried.
 */
export type RulePhase = 'transaction' | 'score';

export type CompiledCondition = {
  readonly ok: true;
  readonly program: ConditionProgram;
  readonly phase: RulePhase;
};

export interface ConditionFault {
  readonly ok: false;
  readonly kind: 'syntax' | 'type' | 'phase';
  /** One line, without the engine's source excerpt. */
  readonly message: string;
  /** Character index in the expression where the fault is. */
  readonly index: number;
}

// Limits keep a hostile or careless rule file from building an expression that is slow to parse or check.
const LIMITS = { maxAstNodes: 2_000, maxDepth: 64, maxListElements: 1_000, maxMapEntries: 1_000, maxCallArguments: 16 };

interface BaseEnvironments {
  /** txn, features, score: what a condition may name at all. */
  readonly full: Environment;
  /** Without `score`: a condition that type-checks here runs in the transaction phase. */
  readonly transaction: Environment;
  /** Without `features`: a condition naming `score` must type-check here too. */
  readonly score: Environment;
}

let baseEnvironments: BaseEnvironments | undefined;

/** Built once per process: environment set-up is the costly part of the engine. */
function base(): BaseEnvironments {
  if (baseEnvironments !== undefined) return baseEnvironments;
  const common = new Environment({ enableOptionalTypes: true, limits: LIMITS })
    .registerType('RuleGeo', { ctor: RuleGeo, fields: { ...RULE_GEO_FIELDS } })
    .registerType('RuleTransaction', { ctor: RuleTransaction, fields: { ...RULE_TRANSACTION_FIELDS } })
    .registerVariable('txn', 'RuleTransaction', { description: 'The normalised transaction with derived fields' });
  const withFeatures = (env: Environment) =>
    env.registerVariable('features', 'map<string, double>', { description: 'Behavioural features by name' });
  // dyn: the score is null when no model took part, and `score != null && score >= 90` must type-check.
  const withScore = (env: Environment) =>
    env.registerVariable('score', 'dyn', { description: 'Model score 0–100, or null' });
  baseEnvironments = {
    full: withScore(withFeatures(common.clone())),
    transaction: withFeatures(common.clone()),
    score: withScore(common.clone()),
  };
  return baseEnvironments;
}

/**
 * Compiles the conditions of one rule set. The set's lists are a constant of its own environment, each a
 * map from item to true so that `x in lists.name` is a hash lookup whatever the list's size, and a
 * reference to a list the set does not declare is refused by the type checker.
 */
export class RuleConditionCompiler {
  private readonly environments: BaseEnvironments;

  constructor(lists: Readonly<Record<string, readonly string[]>>) {
    // A fresh class per rule set: the engine identifies a message type by its constructor.
    const RuleLists = class RuleLists {};
    const value: Record<string, Map<string, boolean>> = new RuleLists() as Record<string, Map<string, boolean>>;
    const fields: Record<string, string> = {};
    for (const [name, items] of Object.entries(lists)) {
      value[name] = new Map(items.map((item) => [item, true]));
      fields[name] = 'map<string, bool>';
    }
    const withLists = (env: Environment) =>
      env.clone().registerType('RuleLists', { ctor: RuleLists, fields }).registerConstant('lists', 'RuleLists', value);
    const environments = base();
    this.environments = {
      full: withLists(environments.full),
      transaction: withLists(environments.transaction),
      score: withLists(environments.score),
    };
  }

  /**
   * Compiles one condition and says in which phase it runs: a condition that type-checks without `score`
   * runs with the transaction and its features; one that needs `score` runs once the score is known and
   * must not read `features` (they are not carried that far).
   */
  compile(expression: string): CompiledCondition | ConditionFault {
    const checked = this.check(this.environments.full, expression);
    if (!checked.ok) return checked;
    if (this.check(this.environments.transaction, expression).ok) return { ...checked, phase: 'transaction' };
    const scoreOnly = this.check(this.environments.score, expression);
    if (scoreOnly.ok) return { ...scoreOnly, phase: 'score' };
    return {
      ok: false,
      kind: 'phase',
      message:
        'a condition on the model score cannot also read features: score conditions run after scoring, where ' +
        'features are not carried (put the feature test in its own rule, or use a score band in the policy)',
      index: 0,
    };
  }

  private check(environment: Environment, expression: string): CompiledCondition | ConditionFault {
    let parsed: ReturnType<Environment['parse']>;
    try {
      parsed = environment.parse(expression);
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
    return { ok: true, program: parsed as ConditionProgram, phase: 'transaction' };
  }
}

function summary(error: Error & { summary?: string }): string {
  return error.summary ?? error.message.split('\n')[0] ?? error.message;
}
