export const TreeModelErrorCode = {
  /** A value has the wrong JSON type (a string where a number is expected, an object where a list is…). */
  INVALID_TYPE: 'INVALID_TYPE',
  MISSING_KEY: 'MISSING_KEY',
  /** The right type but not an acceptable value: out of range, duplicated, not finite, a dangling child id. */
  INVALID_VALUE: 'INVALID_VALUE',
  /** Valid JSON for something this library does not implement: another format, categorical or linear trees. */
  UNSUPPORTED: 'UNSUPPORTED',
  /** A feature row (or an output buffer) whose length is not the model's number of features. */
  ROW_LENGTH: 'ROW_LENGTH',
} as const;
export type TreeModelErrorCode = (typeof TreeModelErrorCode)[keyof typeof TreeModelErrorCode];

/**
 * A trees.json document (or a row given to a model) that cannot be used. `path` locates the problem in the
 * document, JSONPath style (`$.trees[3].tree_structure.left_child.threshold`); the message starts with it.
 */
export class TreeModelError extends Error {
  override readonly name = 'TreeModelError';

  constructor(
    readonly code: TreeModelErrorCode,
    readonly path: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${problem}`, options);
  }
}
