import { randomBytes } from 'node:crypto';
import { linkEntries, verifyChain, type AuditEntryInput } from '@argus/audit-chain';
import { AuditStore } from '@argus/audit-store';
import { createPgPool, type PgPool } from '@argus/pg';
import {
  DEFAULT_PG_URL,
  formatVerifyResult,
  loadAuditCliSettings,
  runAuditShow,
  runAuditVerify,
  type Print,
} from './audit.command';

// The real composition the audit service and `argus audit verify` use: linkEntries to append through the
// store, verifyChain over the store's stream. Tampering is done as the table owner, who can switch the
// append-only trigger off: exactly the attacker the hash chain is there to expose.

const url = process.env['ARGUS_TEST_PG_URL'] ?? 'postgres://argus:argus@127.0.0.1:15432/argus';
const schema = `audit_test_${randomBytes(4).toString('hex')}`;
const T0 = Date.UTC(2025, 2, 14, 9, 30, 0);

function entry(n: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    event_type: 'DECISION',
    transaction_id: `tx-${n}`,
    card_id: `card-${n % 3}`,
    occurred_at: T0 + n * 60_000,
    recorded_at: T0 + n * 60_000 + 25,
    payload: { outcome: n % 4 === 0 ? 'BLOCK' : 'APPROVE', score: n, rule_set_version: 'rules-7' },
    ...overrides,
  };
}

function capture(): { print: Print; text: () => string } {
  const chunks: string[] = [];
  return { print: (chunk) => chunks.push(chunk), text: () => chunks.join('') };
}

describe('argus audit against PostgreSQL', () => {
  let admin: PgPool;
  let pool: PgPool;
  let store: AuditStore;
  const connection = { pgUrl: url, schema };

  async function sql(text: string, values?: unknown[]): Promise<Array<Record<string, unknown>>> {
    return (await pool.query('test.sql', text, values)).rows;
  }

  async function tamper(statement: string, values?: unknown[]): Promise<void> {
    await sql('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await sql(statement, values);
    } finally {
      await sql('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  }

  async function verifyText(): Promise<[number, string]> {
    const out = capture();
    const code = await runAuditVerify({ ...connection, batchSize: 4 }, out.print);
    return [code, out.text()];
  }

  beforeAll(async () => {
    admin = createPgPool({ url, applicationName: 'audit-cli-int-spec-admin', max: 1 });
    await admin.query('test.schema', `CREATE SCHEMA ${schema}`);
    pool = createPgPool({ url, applicationName: 'audit-cli-int-spec', schema, max: 2 });
    store = new AuditStore(pool);
    await store.migrate();
  });

  afterAll(async () => {
    await pool?.end();
    await admin?.query('test.drop', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  beforeEach(async () => {
    await tamper('TRUNCATE audit_log');
    await sql('ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_forward_only');
    await sql('UPDATE audit_chain_head SET seq = 0, hash = NULL');
    await sql('ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_forward_only');
  });

  describe('verify', () => {
    it('reports an empty chain as OK', async () => {
      await expect(verifyText()).resolves.toEqual([0, 'audit chain OK: 0 rows, head seq 0 (empty chain)\n']);
    });

    it('reports an intact chain with its head, in text and JSON', async () => {
      await store.append(
        Array.from({ length: 10 }, (_, i) => entry(i + 1)),
        linkEntries,
      );
      const head = await store.head();
      await expect(verifyText()).resolves.toEqual([0, `audit chain OK: 10 rows, head seq 10 hash ${head!.hash}\n`]);

      const out = capture();
      await expect(runAuditVerify({ ...connection, json: true }, out.print)).resolves.toBe(0);
      expect(JSON.parse(out.text())).toEqual({ ok: true, rows: 10, head, elapsed_ms: expect.any(Number) });
    });

    describe('after tampering by the table owner', () => {
      beforeEach(async () => {
        await store.append(
          Array.from({ length: 10 }, (_, i) => entry(i + 1)),
          linkEntries,
        );
      });

      it('a modified record: HASH_MISMATCH at its seq, exit 1', async () => {
        await tamper(`UPDATE audit_log SET record = replace(record, '"score":6', '"score":99') WHERE seq = 6`);
        const [code, text] = await verifyText();
        expect(code).toBe(1);
        expect(text).toMatch(/^audit chain BROKEN at seq 6 \(transaction tx-6\): HASH_MISMATCH — stored hash \w+… but/);
      });

      it('the same break as one JSON object', async () => {
        await tamper(`UPDATE audit_log SET record = replace(record, '"score":6', '"score":99') WHERE seq = 6`);
        const out = capture();
        await expect(runAuditVerify({ ...connection, json: true }, out.print)).resolves.toBe(1);
        expect(JSON.parse(out.text())).toEqual({
          ok: false,
          rows_checked: 6,
          first_break: { seq: 6, transaction_id: 'tx-6', kind: 'HASH_MISMATCH', message: expect.any(String) },
          elapsed_ms: expect.any(Number),
        });
      });

      it('an edited query column: RECORD_MISMATCH', async () => {
        await tamper(`UPDATE audit_log SET card_id = 'card-innocent' WHERE seq = 4`);
        await expect(verifyText()).resolves.toEqual([
          1,
          'audit chain BROKEN at seq 4 (transaction tx-4): RECORD_MISMATCH — column card_id is "card-innocent" but the record says "card-1"\n',
        ]);
      });

      it('a deleted row: SEQUENCE_GAP', async () => {
        await tamper('DELETE FROM audit_log WHERE seq = 5');
        await expect(verifyText()).resolves.toEqual([
          1,
          'audit chain BROKEN at seq 6 (transaction tx-6): SEQUENCE_GAP — expected seq 5 but found 6: 1 row(s) missing\n',
        ]);
      });

      it('the last rows deleted: SEQUENCE_GAP against the head', async () => {
        await tamper('DELETE FROM audit_log WHERE seq > 8');
        await expect(verifyText()).resolves.toEqual([
          1,
          'audit chain BROKEN at seq 9 (transaction unknown): SEQUENCE_GAP — the chain ends at seq 8 but its head records seq 10: rows 9–10 are missing\n',
        ]);
      });

      it('a row edited and re-hashed: BROKEN_LINK at the next seq', async () => {
        const [original] = await sql('SELECT prev_hash, record FROM audit_log WHERE seq = 3');
        const forgedEntry = JSON.parse(String(original!['record'])) as AuditEntryInput;
        const [forged] = linkEntries({ seq: 2, hash: String(original!['prev_hash']) }, [
          { ...forgedEntry, payload: { outcome: 'APPROVE', score: 0, rule_set_version: 'rules-7' } },
        ]);
        await tamper('UPDATE audit_log SET record = $1, hash = $2 WHERE seq = 3', [forged!.record, forged!.hash]);
        const [code, text] = await verifyText();
        expect(code).toBe(1);
        expect(text).toMatch(/^audit chain BROKEN at seq 4 \(transaction tx-4\): BROKEN_LINK — /);
      });
    });

    it('verifies from an anchor, reading only the rows after it', async () => {
      await store.append(
        Array.from({ length: 10 }, (_, i) => entry(i + 1)),
        linkEntries,
      );
      const [anchor] = await sql('SELECT seq::int AS seq, hash FROM audit_log WHERE seq = 6');
      const after = { seq: Number(anchor!['seq']), hash: String(anchor!['hash']) };
      await expect(verifyChain(store.readChain({ fromSeq: 7 }), { after })).resolves.toMatchObject({
        ok: true,
        rows: 4,
        head: { seq: 10 },
      });
    });

    it('fails with the store error when the audit tables are missing', async () => {
      await expect(runAuditVerify({ pgUrl: url, schema: `${schema}_missing` }, capture().print)).rejects.toMatchObject({
        code: 'NOT_MIGRATED',
      });
    });
  });

  describe('show', () => {
    it("prints a transaction's rows as JSON with readable times", async () => {
      await store.append(
        [entry(1), entry(2), entry(1, { event_type: 'LABEL', payload: { label: 'FRAUD' } })],
        linkEntries,
      );
      const out = capture();
      await expect(runAuditShow({ ...connection, transaction: 'tx-1' }, out.print)).resolves.toBe(0);
      const rows = JSON.parse(out.text()) as Array<Record<string, unknown>>;
      expect(rows.map((row) => [row['seq'], row['event_type'], row['payload']])).toEqual([
        [1, 'DECISION', { outcome: 'APPROVE', score: 1, rule_set_version: 'rules-7' }],
        [3, 'LABEL', { label: 'FRAUD' }],
      ]);
      expect(rows[0]).toMatchObject({
        transaction_id: 'tx-1',
        card_id: 'card-1',
        occurred_at: '2025-03-14T09:31:00.000Z',
        recorded_at: '2025-03-14T09:31:00.025Z',
        prev_hash: '0'.repeat(64),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        record: expect.stringContaining('"transaction_id":"tx-1"'),
      });
    });

    it('prints [] and exits 1 for an unknown transaction', async () => {
      const out = capture();
      await expect(runAuditShow({ ...connection, transaction: 'tx-nope' }, out.print)).resolves.toBe(1);
      expect(out.text()).toBe('[]\n');
    });
  });
});

describe('audit command settings and output', () => {
  it('reads ARGUS_PG_URL, else the local stack', () => {
    expect(loadAuditCliSettings({ ARGUS_PG_URL: 'postgres://a:b@db:5432/x' })).toEqual({
      pgUrl: 'postgres://a:b@db:5432/x',
    });
    expect(loadAuditCliSettings({})).toEqual({ pgUrl: DEFAULT_PG_URL });
    expect(loadAuditCliSettings({ ARGUS_PG_URL: '  ' })).toEqual({ pgUrl: DEFAULT_PG_URL });
    expect(DEFAULT_PG_URL).toBe('postgres://argus:argus@127.0.0.1:15432/argus');
  });

  it('formats a break without a transaction as unknown', () => {
    const text = formatVerifyResult(
      {
        ok: false,
        rows_checked: 3,
        first_break: { seq: 4, transaction_id: null, kind: 'SEQUENCE_GAP', message: 'rows 4–5 are missing' },
      },
      { json: false },
    );
    expect(text).toBe('audit chain BROKEN at seq 4 (transaction unknown): SEQUENCE_GAP — rows 4–5 are missing\n');
  });
});
