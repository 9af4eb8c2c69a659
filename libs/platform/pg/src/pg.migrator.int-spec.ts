import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgErrorCode } from './pg.errors';
import { migrate, readMigrationFiles } from './pg.migrator';
import { createPgPool, type PgPool } from './pg.pool';

const url = process.env['ARGUS_TEST_PG_URL'] ?? 'postgres://argus:argus@127.0.0.1:15432/argus';

/** Each test gets its own schema and migrations folder, so runs never see each other. */
interface Sandbox {
  schema: string;
  dir: string;
  write(files: Record<string, string>): Promise<void>;
}

describe('migrate against PostgreSQL', () => {
  let admin: PgPool;
  const schemas: string[] = [];
  const dirs: string[] = [];

  beforeAll(() => {
    admin = createPgPool({ url, applicationName: 'migrate-int-spec', max: 4 });
  });

  afterAll(async () => {
    for (const schema of schemas) await admin.query('test.drop', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function sandbox(files: Record<string, string> = {}): Promise<Sandbox> {
    const schema = `migrate_test_${randomBytes(4).toString('hex')}`;
    const dir = await mkdtemp(join(tmpdir(), 'argus-migrations-'));
    schemas.push(schema);
    dirs.push(dir);
    const box: Sandbox = {
      schema,
      dir,
      write: async (more) => {
        for (const [name, sql] of Object.entries(more)) await writeFile(join(dir, name), sql);
      },
    };
    await box.write(files);
    return box;
  }

  async function tables(schema: string): Promise<string[]> {
    const { rows } = await admin.query<{ name: string }>(
      'test.tables',
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema],
    );
    return rows.map((row) => row.name);
  }

  it('applies files in version order, once, recording name and checksum', async () => {
    const box = await sandbox({
      '0002_add_note.sql': 'ALTER TABLE account ADD COLUMN note text;',
      '0001_account.sql': 'CREATE TABLE account (id integer PRIMARY KEY);\nINSERT INTO account VALUES (1);',
      'README.md': 'not a migration',
    });
    const first = await migrate(admin, { dir: box.dir, schema: box.schema });
    expect(first).toEqual({ applied: ['0001_account.sql', '0002_add_note.sql'], alreadyApplied: 0, unknown: [] });

    const second = await migrate(admin, { dir: box.dir, schema: box.schema });
    expect(second).toEqual({ applied: [], alreadyApplied: 2, unknown: [] });

    const files = await readMigrationFiles(box.dir);
    const { rows } = await admin.query(
      'test.applied',
      `SELECT version, name, checksum FROM ${box.schema}.schema_migrations`,
    );
    expect(rows).toEqual(files.map((file) => ({ version: file.version, name: file.file, checksum: file.checksum })));
    expect(await tables(box.schema)).toEqual(['account', 'schema_migrations']);
  });

  it('applies only the new file on a later run, into a custom table', async () => {
    const box = await sandbox({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await migrate(admin, { dir: box.dir, schema: box.schema, table: 'audit_migrations' });
    await box.write({ '0002_b.sql': 'CREATE TABLE b (id int);' });
    const report = await migrate(admin, { dir: box.dir, schema: box.schema, table: 'audit_migrations' });
    expect(report).toEqual({ applied: ['0002_b.sql'], alreadyApplied: 1, unknown: [] });
    expect(await tables(box.schema)).toEqual(['a', 'audit_migrations', 'b']);
  });

  it('uses the pool search_path when no schema is given', async () => {
    const box = await sandbox({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await admin.query('test.schema', `CREATE SCHEMA ${box.schema}`);
    const scoped = createPgPool({ url, applicationName: 'migrate-int-spec', schema: box.schema, max: 1 });
    try {
      await migrate(scoped, { dir: box.dir });
    } finally {
      await scoped.end();
    }
    expect(await tables(box.schema)).toEqual(['a', 'schema_migrations']);
  });

  it('refuses to run when an applied file was edited, naming the file', async () => {
    const box = await sandbox({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await migrate(admin, { dir: box.dir, schema: box.schema });
    await box.write({ '0001_a.sql': 'CREATE TABLE a (id bigint);', '0002_b.sql': 'CREATE TABLE b (id int);' });
    await expect(migrate(admin, { dir: box.dir, schema: box.schema })).rejects.toMatchObject({
      code: PgErrorCode.MIGRATION_CHANGED,
      message: expect.stringContaining('0001_a.sql'),
    });
    expect(await tables(box.schema)).toEqual(['a', 'schema_migrations']);
  });

  it('does not count a change of line endings as an edit', async () => {
    const box = await sandbox({ '0001_a.sql': 'CREATE TABLE a (id int);\nCREATE TABLE c (id int);\n' });
    await migrate(admin, { dir: box.dir, schema: box.schema });
    await box.write({ '0001_a.sql': 'CREATE TABLE a (id int);\r\nCREATE TABLE c (id int);\r\n' });
    await expect(migrate(admin, { dir: box.dir, schema: box.schema })).resolves.toMatchObject({ alreadyApplied: 1 });
  });

  it('rolls back a failing migration whole and keeps the ones before it', async () => {
    const box = await sandbox({
      '0001_a.sql': 'CREATE TABLE a (id int);',
      '0002_broken.sql': 'CREATE TABLE b (id int);\nINSERT INTO missing_table VALUES (1);',
    });
    const error = await migrate(admin, { dir: box.dir, schema: box.schema }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: PgErrorCode.MIGRATION_FAILED,
      sqlState: '42P01',
      message: expect.stringContaining('0002_broken.sql'),
    });
    expect(await tables(box.schema)).toEqual(['a', 'schema_migrations']);
    const { rows } = await admin.query('test.applied', `SELECT name FROM ${box.schema}.schema_migrations`);
    expect(rows).toEqual([{ name: '0001_a.sql' }]);
  });

  it('refuses a new file numbered below an applied one', async () => {
    const box = await sandbox({ '0002_b.sql': 'CREATE TABLE b (id int);' });
    await migrate(admin, { dir: box.dir, schema: box.schema });
    await box.write({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await expect(migrate(admin, { dir: box.dir, schema: box.schema })).rejects.toMatchObject({
      code: PgErrorCode.MIGRATION_OUT_OF_ORDER,
      message: expect.stringContaining('0001_a.sql'),
    });
  });

  it('reports applied migrations that have no file here', async () => {
    const box = await sandbox({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);' });
    await migrate(admin, { dir: box.dir, schema: box.schema });
    await rm(join(box.dir, '0002_b.sql'));
    await expect(migrate(admin, { dir: box.dir, schema: box.schema })).resolves.toEqual({
      applied: [],
      alreadyApplied: 1,
      unknown: ['0002_b.sql'],
    });
  });

  it.each([['12_short.sql'], ['0001_Upper.sql'], ['0001-dash.sql']])('refuses the file name %s', async (name) => {
    const box = await sandbox({ [name]: 'SELECT 1;' });
    await expect(migrate(admin, { dir: box.dir, schema: box.schema })).rejects.toMatchObject({
      code: PgErrorCode.MIGRATION_FILE_INVALID,
    });
  });

  it('refuses two files with the same version', async () => {
    const box = await sandbox({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 2;' });
    await expect(readMigrationFiles(box.dir)).rejects.toMatchObject({ code: PgErrorCode.MIGRATION_FILE_INVALID });
  });

  it('refuses a missing folder', async () => {
    await expect(readMigrationFiles(join(tmpdir(), 'argus-no-such-folder'))).rejects.toMatchObject({
      code: PgErrorCode.MIGRATION_FILE_INVALID,
    });
  });

  it('lets concurrent runs from two pools apply each migration exactly once', async () => {
    // Not idempotent on purpose: a second application would fail on CREATE TABLE / the primary key.
    const box = await sandbox({
      '0001_slow.sql': 'CREATE TABLE slow (id int PRIMARY KEY);\nSELECT pg_sleep(0.3);\nINSERT INTO slow VALUES (1);',
      '0002_next.sql': 'CREATE TABLE next (id int);',
    });
    const pools = [0, 1, 2].map(() => createPgPool({ url, applicationName: 'migrate-race', max: 1 }));
    try {
      const reports = await Promise.all(pools.map((pool) => migrate(pool, { dir: box.dir, schema: box.schema })));
      expect(reports.flatMap((report) => report.applied).sort()).toEqual(['0001_slow.sql', '0002_next.sql']);
      expect(reports.map((report) => report.applied.length).sort()).toEqual([0, 0, 2]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('gives up waiting for the migration lock after lockTimeoutMs', async () => {
    const box = await sandbox({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    const holder = await admin.connect();
    try {
      await holder.query('test.lock', 'SELECT pg_advisory_lock(hashtext($1))', [
        `argus.migrate:${box.schema}.schema_migrations`,
      ]);
      await expect(migrate(admin, { dir: box.dir, schema: box.schema, lockTimeoutMs: 200 })).rejects.toMatchObject({
        code: PgErrorCode.TIMEOUT,
      });
    } finally {
      await holder.query('test.unlock', 'SELECT pg_advisory_unlock_all()');
      holder.release();
    }
  });
});
