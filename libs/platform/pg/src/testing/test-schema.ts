import { randomBytes } from 'node:crypto';
import { createPgPool, type PgPool } from '../pg.pool';

/** The local stack's PostgreSQL, or ARGUS_TEST_PG_URL. */
export const TEST_PG_URL = process.env['ARGUS_TEST_PG_URL'] ?? 'postgres://argus:argus@127.0.0.1:15432/argus';

/** A PostgreSQL schema of its own for one integration test file, and a pool whose search_path is it. */
export interface TestSchema {
  readonly name: string;
  readonly pool: PgPool;
  /** Ends the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<random>` on the real database, so test files running side by side (and runs left behind
 * by a killed test) never see each other's tables; the caller migrates what it needs into it.
 */
export async function createTestSchema(
  prefix: string,
  options: { readonly max?: number; readonly url?: string } = {},
): Promise<TestSchema> {
  const url = options.url ?? TEST_PG_URL;
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = createPgPool({ url, applicationName: `${prefix}-admin`, max: 1 });
  await admin.query('test.schema', `CREATE SCHEMA ${name}`);
  const pool = createPgPool({ url, applicationName: prefix, schema: name, max: options.max ?? 4 });
  return {
    name,
    pool,
    drop: async () => {
      await pool.end();
      await admin.query('test.drop', `DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}
