export enum CaseStoreErrorCode {
  /** The case tables are missing: the case migrations have not run. */
  NOT_MIGRATED = 'NOT_MIGRATED',
  MIGRATIONS_NOT_FOUND = 'MIGRATIONS_NOT_FOUND',
  /** Someone else changed the case since it was read: read it again and redo the action. */
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  /** The database refused the change (a constraint: four eyes, one open case per card…). */
  CONSTRAINT_VIOLATED = 'CONSTRAINT_VIOLATED',
  NOT_FOUND = 'NOT_FOUND',
  QUERY_FAILED = 'QUERY_FAILED',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
}

export class CaseStoreError extends Error {
  override readonly name = 'CaseStoreError';

  constructor(
    readonly code: CaseStoreErrorCode,
    message: string,
    options?: { cause?: unknown; readonly constraint?: string },
  ) {
    super(message, options);
    this.constraint = options?.constraint ?? null;
  }

  /** The constraint the database named, for CONSTRAINT_VIOLATED. */
  readonly constraint: string | null;
}
