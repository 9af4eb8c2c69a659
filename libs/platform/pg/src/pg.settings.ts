import { PgError, PgErrorCode } from './pg.errors';

/** Called after every statement, for telemetry: a duration histogram per statement name. */
export type PgQueryHook = (name: string, durationMs: number, ok: boolean) => void;

export interface PgPoolSettings {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Most connections the pool opens (default 10). */
  readonly max?: number;
  /** Shown in `pg_stat_activity.application_name`, so a DBA can tell the services apart. */
  readonly applicationName: string;
  /** Schema put alone on every connection's `search_path`; unqualified names resolve there. */
  readonly schema?: string;
  /** Give up opening a connection after this long (default 10 000 ms; the driver's default waits forever). */
  readonly connectTimeoutMs?: number;
  readonly onQuery?: PgQueryHook;
  /** An idle pooled connection failed (server restart, network). The pool drops it and opens a new one on demand. */
  readonly onError?: (error: PgError) => void;
}

// Lower case only: search_path folds unquoted names to lower case, so anything else would name another schema.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema or table name before it is spliced into SQL (identifiers cannot be bound parameters). */
export function assertIdentifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new PgError(
      PgErrorCode.INVALID_SETTINGS,
      `${what} "${value}" is not a plain lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters)`,
    );
  }
  return value;
}

export function assertPoolSettings(settings: PgPoolSettings): void {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch (error) {
    throw new PgError(PgErrorCode.INVALID_SETTINGS, 'PostgreSQL URL is not a valid URL', { cause: error });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new PgError(
      PgErrorCode.INVALID_SETTINGS,
      `PostgreSQL URL must start with postgres://, not ${url.protocol}//`,
    );
  }
  if (settings.applicationName.trim() === '') {
    throw new PgError(PgErrorCode.INVALID_SETTINGS, 'applicationName must not be empty');
  }
  if (settings.max !== undefined && (!Number.isInteger(settings.max) || settings.max < 1)) {
    throw new PgError(PgErrorCode.INVALID_SETTINGS, `max must be a positive integer, got ${settings.max}`);
  }
  if (settings.schema !== undefined) assertIdentifier(settings.schema, 'schema');
}
