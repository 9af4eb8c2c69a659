import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { toPgError } from './pg.errors';
import { assertPoolSettings, type PgPoolSettings, type PgQueryHook } from './pg.settings';

/** Anything that runs a statement: the pool itself, or one checked-out connection inside a transaction. */
export interface PgQueryable {
  /**
   * Runs one statement. `name` labels it for telemetry and error messages (e.g. `audit.insert`);
   * it is not a prepared-statement name.
   */
  query<R extends QueryResultRow = QueryResultRow>(
    name: string,
    text: string,
    values?: readonly unknown[],
  ): Promise<QueryResult<R>>;
}

async function timedQuery<R extends QueryResultRow>(
  target: Pool | PoolClient,
  onQuery: PgQueryHook | undefined,
  name: string,
  text: string,
  values: readonly unknown[] | undefined,
): Promise<QueryResult<R>> {
  const started = performance.now();
  let ok = false;
  try {
    const result = await target.query<R>(text, values === undefined ? undefined : [...values]);
    ok = true;
    return result;
  } catch (error) {
    throw toPgError(error, `query ${name} failed`);
  } finally {
    onQuery?.(name, performance.now() - started, ok);
  }
}

/** One connection checked out of the pool. Release it exactly once. */
export class PgConnection implements PgQueryable {
  private released = false;

  constructor(
    private readonly client: PoolClient,
    private readonly onQuery: PgQueryHook | undefined,
  ) {}

  query<R extends QueryResultRow = QueryResultRow>(
    name: string,
    text: string,
    values?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return timedQuery<R>(this.client, this.onQuery, name, text, values);
  }

  /** Returns the connection to the pool; pass `destroy` when its session state is unknown (a failed rollback). */
  release(destroy = false): void {
    if (this.released) return;
    this.released = true;
    this.client.release(destroy);
  }
}

/** The PostgreSQL adapter: a node-postgres pool whose every statement is timed and whose errors are `PgError`s. */
export class PgPool implements PgQueryable {
  constructor(
    /** The node-postgres pool, for what this adapter does not cover (LISTEN/NOTIFY, COPY). */
    readonly native: Pool,
    private readonly onQuery?: PgQueryHook,
  ) {}

  query<R extends QueryResultRow = QueryResultRow>(
    name: string,
    text: string,
    values?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return timedQuery<R>(this.native, this.onQuery, name, text, values);
  }

  async connect(): Promise<PgConnection> {
    try {
      return new PgConnection(await this.native.connect(), this.onQuery);
    } catch (error) {
      throw toPgError(error, 'cannot open a PostgreSQL connection');
    }
  }

  /** Closes every connection; waits for checked-out ones to be released. */
  async end(): Promise<void> {
    if (!this.native.ended) await this.native.end();
  }
}

/**
 * Sent with every connection. JIT compilation off: Argus's statements are short OLTP reads and writes, and a
 * plan whose estimated cost crosses jit_above_cost (the queue ranking the open cases does) pays 20–30 ms of
 * LLVM compilation on every run — at 1 M cases it more than doubled the queue's P99 (61 → 21 ms).
 * The schema name was checked by assertPoolSettings, so it needs no quoting here.
 */
function startupOptions(settings: PgPoolSettings): string {
  return ['-c jit=off', ...(settings.schema === undefined ? [] : [`-c search_path=${settings.schema}`])].join(' ');
}

export function createPgPool(settings: PgPoolSettings): PgPool {
  assertPoolSettings(settings);
  const native = new Pool({
    connectionString: settings.url,
    max: settings.max ?? 10,
    application_name: settings.applicationName,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 10_000,
    options: startupOptions(settings),
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  native.on('error', (error: Error) => {
    settings.onError?.(toPgError(error, 'idle PostgreSQL connection failed'));
  });
  return new PgPool(native, settings.onQuery);
}
