import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PgError, PgErrorCode, toPgError } from './pg.errors';
import type { PgConnection, PgPool } from './pg.pool';
import { assertIdentifier } from './pg.settings';

export interface MigrateOptions {
  /** Folder holding `NNNN_name.sql` files; other files (a README) are ignored. */
  readonly dir: string;
  /** Table recording applied migrations (default `schema_migrations`). Give each migration set its own. */
  readonly table?: string;
  /** Create this schema if needed and apply the migrations there; default: the connection's search_path. */
  readonly schema?: string;
  /** How long to wait for another process's migration run before failing (default 60 000 ms). */
  readonly lockTimeoutMs?: number;
}

export interface MigrationFile {
  readonly version: number;
  /** File name, e.g. `0001_audit_log.sql`. */
  readonly file: string;
  readonly sql: string;
  /** sha256 (hex) of the file with line endings normalised to LF, so a checkout on Windows is not a change. */
  readonly checksum: string;
}

export interface MigrationReport {
  /** Files applied by this run, in order. */
  readonly applied: readonly string[];
  /** How many files had already been applied (and still match their checksum). */
  readonly alreadyApplied: number;
  /** Migrations recorded in the table with no file here, e.g. applied by a newer release. */
  readonly unknown: readonly string[];
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Lists and reads the migration files of `dir`, ordered by version. */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new PgError(PgErrorCode.MIGRATION_FILE_INVALID, `cannot read migrations folder ${dir}`, { cause: error });
  }
  const files: MigrationFile[] = [];
  for (const file of names.filter((name) => name.endsWith('.sql')).sort()) {
    const match = FILE_NAME.exec(file);
    if (match === null) {
      throw new PgError(
        PgErrorCode.MIGRATION_FILE_INVALID,
        `migration file ${file} in ${dir} is not named NNNN_name.sql (four digits, lower-case name)`,
      );
    }
    const version = Number(match[1]);
    const clash = files.find((other) => other.version === version);
    if (clash !== undefined) {
      throw new PgError(
        PgErrorCode.MIGRATION_FILE_INVALID,
        `migrations ${clash.file} and ${file} share version ${version}`,
      );
    }
    const sql = (await readFile(join(dir, file), 'utf8')).replace(/\r\n/g, '\n');
    files.push({ version, file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies the pending migrations of `options.dir` in version order, each in its own transaction, recording
 * each with its checksum. A session advisory lock keyed by schema and table makes concurrent runs (two
 * replicas starting together) wait for each other instead of racing. Refuses to run when an applied
 * migration's file has changed.
 */
export async function migrate(pool: PgPool, options: MigrateOptions): Promise<MigrationReport> {
  const table = assertIdentifier(options.table ?? 'schema_migrations', 'migrations table');
  const schema = options.schema === undefined ? undefined : assertIdentifier(options.schema, 'schema');
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw new PgError(
      PgErrorCode.INVALID_SETTINGS,
      `lockTimeoutMs must be a non-negative integer, got ${lockTimeoutMs}`,
    );
  }
  const files = await readMigrationFiles(options.dir);
  const conn = await pool.connect();
  try {
    await conn.query('migrate.lock_timeout', `SET lock_timeout = ${lockTimeoutMs}`);
    const lockKey = await lockMigrations(conn, schema, table, lockTimeoutMs);
    try {
      if (schema !== undefined) {
        await conn.query('migrate.schema', `CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await conn.query('migrate.search_path', `SET search_path TO ${schema}`);
      }
      const qualified = schema === undefined ? table : `${schema}.${table}`;
      const applied = await readApplied(conn, qualified);
      const pending = checkApplied(files, applied);
      for (const file of pending) await applyOne(conn, qualified, file);
      return {
        applied: pending.map((file) => file.file),
        alreadyApplied: files.length - pending.length,
        unknown: applied.filter((row) => !files.some((file) => file.version === row.version)).map((row) => row.name),
      };
    } finally {
      // Closing the session frees the lock too, so a failed unlock must not hide the real error.
      await conn.query('migrate.unlock', 'SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    }
  } finally {
    // The session carries SET search_path / lock_timeout: do not hand it back to the pool.
    conn.release(true);
  }
}

async function lockMigrations(
  conn: PgConnection,
  schema: string | undefined,
  table: string,
  lockTimeoutMs: number,
): Promise<string> {
  const { rows } = await conn.query<{ key: string }>(
    'migrate.lock_key',
    `SELECT 'argus.migrate:' || coalesce($1, current_schema(), '') || '.' || $2 AS key`,
    [schema ?? null, table],
  );
  const key = rows[0]!.key;
  try {
    await conn.query('migrate.lock', 'SELECT pg_advisory_lock(hashtext($1))', [key]);
  } catch (error) {
    if (error instanceof PgError && error.code === PgErrorCode.TIMEOUT) {
      throw new PgError(
        PgErrorCode.TIMEOUT,
        `another process has held the migration lock ${key} for more than ${lockTimeoutMs} ms`,
        { cause: error, sqlState: error.sqlState },
      );
    }
    throw error;
  }
  return key;
}

async function readApplied(conn: PgConnection, qualified: string): Promise<AppliedRow[]> {
  const { rows } = await conn.query<{ exists: boolean }>(
    'migrate.table_exists',
    'SELECT to_regclass($1) IS NOT NULL AS exists',
    [qualified],
  );
  // Checked first rather than CREATE TABLE IF NOT EXISTS so that a role without CREATE can still verify.
  if (!rows[0]!.exists) {
    await conn.query(
      'migrate.create_table',
      `CREATE TABLE ${qualified} (
         version     integer     PRIMARY KEY,
         name        text        NOT NULL,
         checksum    char(64)    NOT NULL,
         applied_at  timestamptz NOT NULL DEFAULT now(),
         duration_ms integer     NOT NULL
       )`,
    );
    return [];
  }
  const applied = await conn.query<AppliedRow>(
    'migrate.applied',
    `SELECT version, name, checksum FROM ${qualified} ORDER BY version`,
  );
  return applied.rows;
}

/** Returns the pending files, after refusing changed applied files and out-of-order new ones. */
function checkApplied(files: readonly MigrationFile[], applied: readonly AppliedRow[]): MigrationFile[] {
  for (const row of applied) {
    const file = files.find((candidate) => candidate.version === row.version);
    if (file !== undefined && file.checksum !== row.checksum) {
      throw new PgError(
        PgErrorCode.MIGRATION_CHANGED,
        `migration ${file.file} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… ` +
          `applied, ${file.checksum.slice(0, 12)}… now): add a new migration instead of editing an applied one`,
      );
    }
  }
  const latest = applied.reduce((max, row) => Math.max(max, row.version), 0);
  const pending = files.filter((file) => !applied.some((row) => row.version === file.version));
  const early = pending.find((file) => file.version < latest);
  if (early !== undefined) {
    throw new PgError(
      PgErrorCode.MIGRATION_OUT_OF_ORDER,
      `migration ${early.file} is pending but version ${latest} is already applied: renumber it after ${latest}`,
    );
  }
  return pending;
}

async function applyOne(conn: PgConnection, qualified: string, file: MigrationFile): Promise<void> {
  const started = performance.now();
  await conn.query('migrate.begin', 'BEGIN');
  try {
    // No bound values: the simple protocol, which runs a file of several statements.
    await conn.query(`migrate.${file.file}`, file.sql);
    await conn.query(
      'migrate.record',
      `INSERT INTO ${qualified} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)`,
      [file.version, file.file, file.checksum, Math.round(performance.now() - started)],
    );
    await conn.query('migrate.commit', 'COMMIT');
  } catch (error) {
    await conn.query('migrate.rollback', 'ROLLBACK').catch(() => undefined);
    const cause = toPgError(error, file.file);
    throw new PgError(
      PgErrorCode.MIGRATION_FAILED,
      `migration ${file.file} failed and was rolled back: ${cause.message}`,
      {
        cause,
        sqlState: cause.sqlState,
      },
    );
  }
}
