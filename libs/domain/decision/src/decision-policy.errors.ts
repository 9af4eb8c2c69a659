export const DecisionPolicyErrorCode = {
  /** The text is not valid YAML (or holds several documents). */
  YAML_SYNTAX: 'YAML_SYNTAX',
  INVALID_TYPE: 'INVALID_TYPE',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  MISSING_KEY: 'MISSING_KEY',
  INVALID_VALUE: 'INVALID_VALUE',
  /** Not an outcome, or an outcome that makes no sense where it is written. */
  INVALID_OUTCOME: 'INVALID_OUTCOME',
  INVALID_PRECEDENCE: 'INVALID_PRECEDENCE',
  INVALID_SCORE_BAND: 'INVALID_SCORE_BAND',
} as const;
export type DecisionPolicyErrorCode = (typeof DecisionPolicyErrorCode)[keyof typeof DecisionPolicyErrorCode];

/** One thing wrong with a policy file, located in the source (1-based line and column). */
export interface DecisionPolicyProblem {
  readonly code: DecisionPolicyErrorCode;
  readonly line: number;
  readonly column: number;
  /** Without the `source:line:column:` prefix. */
  readonly message: string;
}

/**
 * A policy was refused. `code`, `line` and `column` are those of the first problem (in source order);
 * `errors` holds every problem found, and the message lists them all, one per line.
 */
export class DecisionPolicyError extends Error {
  override readonly name = 'DecisionPolicyError';
  readonly code: DecisionPolicyErrorCode;
  readonly line: number;
  readonly column: number;

  constructor(
    readonly sourceName: string,
    readonly errors: readonly DecisionPolicyProblem[],
    options?: { cause?: unknown },
  ) {
    const [first] = errors;
    if (first === undefined) throw new RangeError('DecisionPolicyError needs at least one problem');
    super(
      errors.map((problem) => `${sourceName}:${problem.line}:${problem.column}: ${problem.message}`).join('\n'),
      options,
    );
    this.code = first.code;
    this.line = first.line;
    this.column = first.column;
  }
}
