export enum PgErrorCode {
  /** The settings given to `createPgPool` or `migrate` are unusable (bad URL, schema name, table name). */
  INVALID_SETTINGS = 'INVALID_SETTINGS',
  /** The server could not be reached or refused the session (network, authentication, unknown database). */
  CONNECTION_FAILED = 'CONNECTION_FAILED',
  /** A unique constraint was violated (SQLSTATE 23505). */
  UNIQUE_VIOLATION = 'UNIQUE_VIOLATION',
  /** A serialization failure or deadlock (SQLSTATE 40001 / 40P01): safe to retry the whole transaction. */
  SERIALIZATION_FAILURE = 'SERIALIZATION_FAILURE',
  /** The statement or a lock wait was cancelled by a timeout (SQLSTATE 57014 / 55P03). */
  TIMEOUT = 'TIMEOUT',
  /** Any other failure of a statement. */
  QUERY_FAILED = 'QUERY_FAILED',
  /** A migration file name does not follow `NNNN_name.sql`, or two files share a version. */
  MIGRATION_FILE_INVALID = 'MIGRATION_FILE_INVALID',
  /** An applied migration's file no longer has the checksum recorded when it was applied. */
  MIGRATION_CHANGED = 'MIGRATION_CHANGED',
  /** A pending migration is numbered below one already applied. */
  MIGRATION_OUT_OF_ORDER = 'MIGRATION_OUT_OF_ORDER',
  /** A migration's SQL failed; its transaction was rolled back. */
  MIGRATION_FAILED = 'MIGRATION_FAILED',
}

export class PgError extends Error {
  override readonly name = 'PgError';
  /** The server's SQLSTATE (e.g. `23505`) or the driver's errno code (e.g. `ECONNREFUSED`), when there was one. */
  readonly sqlState: string | undefined;
  /** The constraint the server named (a unique index, a CHECK), for an integrity violation. */
  readonly constraint: string | undefined;

  constructor(
    readonly code: PgErrorCode,
    message: string,
    options?: { cause?: unknown; sqlState?: string; constraint?: string },
  ) {
    super(message, { cause: options?.cause });
    this.sqlState = options?.sqlState;
    this.constraint = options?.constraint;
  }
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/** Sorts a driver error into a `PgErrorCode` by its SQLSTATE or errno. */
export function pgErrorCodeOf(error: unknown): PgErrorCode {
  const state = driverCodeOf(error);
  if (state === undefined) {
    return error instanceof Error && /timeout|terminated/i.test(error.message)
      ? PgErrorCode.CONNECTION_FAILED
      : PgErrorCode.QUERY_FAILED;
  }
  if (CONNECTION_ERRNOS.has(state)) return PgErrorCode.CONNECTION_FAILED;
  // 08: connection exception, 28: invalid authorization, 3D000: unknown database, 57P0x: server shutting down.
  if (state.startsWith('08') || state.startsWith('28') || state === '3D000' || /^57P0[1-3]$/.test(state)) {
    return PgErrorCode.CONNECTION_FAILED;
  }
  if (state === '23505') return PgErrorCode.UNIQUE_VIOLATION;
  if (state === '40001' || state === '40P01') return PgErrorCode.SERIALIZATION_FAILURE;
  if (state === '57014' || state === '55P03') return PgErrorCode.TIMEOUT;
  return PgErrorCode.QUERY_FAILED;
}

/** Wraps a driver error, keeping it as the cause; a `PgError` passes through unchanged. */
export function toPgError(error: unknown, context: string): PgError {
  if (error instanceof PgError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new PgError(pgErrorCodeOf(error), `${context}: ${detail}`, {
    cause: error,
    sqlState: driverCodeOf(error),
    constraint: constraintOf(error),
  });
}

function constraintOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('constraint' in error)) return undefined;
  const constraint = (error as { constraint: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

function driverCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
