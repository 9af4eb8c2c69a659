import { randomBytes } from 'node:crypto';
import { PgError, PgErrorCode } from './pg.errors';
import { createPgPool, type PgPool } from './pg.pool';
import { withTransaction } from './pg.transaction';

const url = process.env['ARGUS_TEST_PG_URL'] ?? 'postgres://argus:argus@127.0.0.1:15432/argus';
const schema = `pglib_test_${randomBytes(4).toString('hex')}`;

describe('PgPool against PostgreSQL', () => {
  const calls: Array<[string, number, boolean]> = [];
  let admin: PgPool;
  let pool: PgPool;

  beforeAll(async () => {
    admin = createPgPool({ url, applicationName: 'pg-int-spec-admin', max: 1 });
    await admin.query('test.schema', `CREATE SCHEMA ${schema}`);
    pool = createPgPool({
      url,
      applicationName: 'pg-int-spec',
      schema,
      max: 3,
      onQuery: (name, durationMs, ok) => calls.push([name, durationMs, ok]),
    });
    await pool.query('test.table', 'CREATE TABLE item (id integer PRIMARY KEY, label text NOT NULL)');
  });

  afterAll(async () => {
    await pool?.end();
    await admin?.query('test.drop', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  beforeEach(async () => {
    await pool.query('test.clear', 'DELETE FROM item');
    calls.length = 0;
  });

  it('puts the configured schema alone on the search_path, names the application and turns JIT off', async () => {
    const { rows } = await pool.query<{ schema: string; app: string; jit: string }>(
      'test.whoami',
      `SELECT current_schema() AS schema, current_setting('application_name') AS app, current_setting('jit') AS jit`,
    );
    expect(rows).toEqual([{ schema, app: 'pg-int-spec', jit: 'off' }]);
  });

  it('reports each statement to onQuery with its name, duration and outcome', async () => {
    await pool.query('item.insert', 'INSERT INTO item VALUES ($1, $2)', [1, 'one']);
    await expect(pool.query('item.insert', 'INSERT INTO item VALUES ($1, $2)', [1, 'again'])).rejects.toThrow();
    expect(calls.map(([name, , ok]) => [name, ok])).toEqual([
      ['item.insert', true],
      ['item.insert', false],
    ]);
    expect(calls.every(([, durationMs]) => durationMs >= 0 && durationMs < 10_000)).toBe(true);
  });

  it('raises a typed PgError with the SQLSTATE and the statement name', async () => {
    await pool.query('item.insert', 'INSERT INTO item VALUES (1, $1)', ['one']);
    const error = await pool.query('item.insert', 'INSERT INTO item VALUES (1, $1)', ['dup']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgError);
    expect(error).toMatchObject({ code: PgErrorCode.UNIQUE_VIOLATION, sqlState: '23505' });
    expect((error as PgError).message).toMatch(/^query item\.insert failed: duplicate key/);
  });

  it('commits what the transaction function did', async () => {
    const result = await withTransaction(pool, async (tx) => {
      await tx.query('item.insert', 'INSERT INTO item VALUES (1, $1)', ['kept']);
      return 'done';
    });
    expect(result).toBe('done');
    const { rows } = await pool.query('item.all', 'SELECT id, label FROM item');
    expect(rows).toEqual([{ id: 1, label: 'kept' }]);
    expect(calls.map(([name]) => name)).toEqual(['tx.begin', 'item.insert', 'tx.commit', 'item.all']);
  });

  it('rolls back and rethrows when the transaction function throws', async () => {
    const failure = new Error('business rule said no');
    await expect(
      withTransaction(pool, async (tx) => {
        await tx.query('item.insert', 'INSERT INTO item VALUES (1, $1)', ['discarded']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const { rows } = await pool.query('item.all', 'SELECT id FROM item');
    expect(rows).toEqual([]);
  });

  it('runs a transaction at the requested isolation level', async () => {
    const level = await withTransaction(
      pool,
      async (tx) =>
        (await tx.query<{ level: string }>('tx.level', `SELECT current_setting('transaction_isolation') AS level`))
          .rows[0]!.level,
      { isolation: 'SERIALIZABLE' },
    );
    expect(level).toBe('serializable');
  });

  it('returns every connection to the pool after transactions, failed or not', async () => {
    for (let i = 0; i < 5; i += 1) {
      await withTransaction(pool, async () => undefined);
      await withTransaction(pool, async () => Promise.reject(new Error('no'))).catch(() => undefined);
    }
    expect(pool.native.totalCount - pool.native.idleCount).toBe(0);
  });

  it('reports an unreachable server as CONNECTION_FAILED', async () => {
    const nowhere = createPgPool({ url: 'postgres://argus:argus@127.0.0.1:1/argus', applicationName: 'nowhere' });
    try {
      await expect(nowhere.query('ping', 'SELECT 1')).rejects.toMatchObject({ code: PgErrorCode.CONNECTION_FAILED });
    } finally {
      await nowhere.end();
    }
  });
});
