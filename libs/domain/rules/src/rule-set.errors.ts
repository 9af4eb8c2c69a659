export const RuleSetErrorCode = {
  /** The text is not valid YAML (or holds several documents). */
  YAML_SYNTAX: 'YAML_SYNTAX',
  /** A value has the wrong YAML type (a list where a map is expected, a string where a number is…). */
  INVALID_TYPE: 'INVALID_TYPE',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  MISSING_KEY: 'MISSING_KEY',
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_ID: 'INVALID_ID',
  DUPLICATE_ID: 'DUPLICATE_ID',
  INVALID_ACTION: 'INVALID_ACTION',
  INVALID_LIST: 'INVALID_LIST',
  /** A CEL condition does not parse. */
  CONDITION_SYNTAX: 'CONDITION_SYNTAX',
  /** A CEL condition parses but does not type-check (unknown variable or field, wrong operand types, not a bool). */
  CONDITION_TYPE: 'CONDITION_TYPE',
  /** A condition reads both the model score and features: no phase has both. */
  CONDITION_PHASE: 'CONDITION_PHASE',
  /** A `{{placeholder}}` in a reason names nothing the context has. */
  INVALID_PLACEHOLDER: 'INVALID_PLACEHOLDER',
} as const;
export type RuleSetErrorCode = (typeof RuleSetErrorCode)[keyof typeof RuleSetErrorCode];

/** One thing wrong with a rule-set file, located in the source (1-based line and column). */
export interface RuleSetProblem {
  readonly code: RuleSetErrorCode;
  readonly line: number;
  readonly column: number;
  /** Without the `source:line:column:` prefix. */
  readonly message: string;
  /** The rule the problem belongs to, when it belongs to one. */
  readonly ruleId: string | null;
}

export function formatProblem(sourceName: string, problem: RuleSetProblem): string {
  return `${sourceName}:${problem.line}:${problem.column}: ${problem.message}`;
}

/**
 * A rule set was refused. `code`, `line` and `column` are those of the first problem (in source order);
 * `errors` holds every problem found, and the message lists them all, one per line.
 */
export class RuleSetError extends Error {
  override readonly name = 'RuleSetError';
  readonly code: RuleSetErrorCode;
  readonly line: number;
  readonly column: number;

  constructor(
    readonly sourceName: string,
    readonly errors: readonly RuleSetProblem[],
    options?: { cause?: unknown },
  ) {
    const [first] = errors;
    if (first === undefined) throw new RangeError('RuleSetError needs at least one problem');
    super(errors.map((problem) => formatProblem(sourceName, problem)).join('\n'), options);
    this.code = first.code;
    this.line = first.line;
    this.column = first.column;
  }
}
