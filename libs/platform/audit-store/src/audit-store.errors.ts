export enum AuditStoreErrorCode {
  /** The audit tables are missing: run `AuditStore.migrate()` (or the migration job) first. */
  NOT_MIGRATED = 'NOT_MIGRATED',
  /** The link function returned rows that do not continue the chain from the locked head. */
  LINK_INVALID = 'LINK_INVALID',
  /** The append transaction failed and was rolled back; nothing was written. */
  APPEND_FAILED = 'APPEND_FAILED',
  /** Reading the chain or looking rows up failed. */
  READ_FAILED = 'READ_FAILED',
  /** The migrations folder shipped with this library could not be found. */
  MIGRATIONS_NOT_FOUND = 'MIGRATIONS_NOT_FOUND',
  /** An argument is out of range (batch size, seq). */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
}

export class AuditStoreError extends Error {
  override readonly name = 'AuditStoreError';

  constructor(
    readonly code: AuditStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
