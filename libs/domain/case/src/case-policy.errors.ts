export type CasePolicyErrorCode =
  'YAML_SYNTAX' | 'UNKNOWN_KEY' | 'MISSING_KEY' | 'INVALID_VALUE' | 'DUPLICATE_QUEUE' | 'UNKNOWN_QUEUE';

/** One thing wrong with a case policy file, located in the source (1-based line and column). */
export interface CasePolicyProblem {
  readonly code: CasePolicyErrorCode;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A case policy was refused: every problem, in source order, one per line of the message. */
export class CasePolicyError extends Error {
  override readonly name = 'CasePolicyError';
  readonly code: CasePolicyErrorCode;
  readonly problems: readonly CasePolicyProblem[];

  constructor(
    readonly sourceName: string,
    problems: readonly CasePolicyProblem[],
  ) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    const [first] = sorted;
    if (first === undefined) throw new RangeError('CasePolicyError needs at least one problem');
    super(sorted.map((p) => `${sourceName}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    this.code = first.code;
    this.problems = sorted;
  }
}
