import { createHash, randomBytes } from 'node:crypto';
import { createPgPool, PgError, type PgPool } from '@argus/pg';
import { AuditStoreError, AuditStoreErrorCode } from './audit-store.errors';
import type { AuditEntry, AuditLinkFn, LinkedAuditRow, StoredAuditRow } from './audit-store.types';
import { AuditStore } from './audit.store';

// A platform library may not import @argus/audit-chain, so these tests drive the store with a stand-in link
// function of the same shape. The real linkEntries + verifyChain over this store, tampering included, are
// tested where the application wires them: apps/cli/src/commands/audit.command.int-spec.ts.
const GENESIS = '0'.repeat(64);

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const link: AuditLinkFn = (head, entries) => {
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS;
  return entries.map((e) => {
    if (typeof e.payload === 'object' && e.payload !== null && 'poison' in e.payload) throw new Error('cannot link');
    seq += 1;
    const { event_type, transaction_id, card_id, occurred_at, recorded_at } = e;
    const record = JSON.stringify({
      event_id: e.event_id,
      event_type,
      transaction_id,
      card_id,
      occurred_at,
      recorded_at,
      payload: e.payload,
    });
    const hash = sha256(`${prev}\n${seq}\n${record}`);
    const row: LinkedAuditRow = {
      seq,
      prev_hash: prev,
      hash,
      record,
      event_id: e.event_id ?? null,
      event_type,
      transaction_id,
      card_id,
      occurred_at,
      recorded_at,
    };
    prev = hash;
    return row;
  });
};

/** What a consistent chain means, checked without the domain library: gapless seqs, each row linked and hashed. */
function expectChained(rows: readonly StoredAuditRow[]): void {
  rows.forEach((row, i) => {
    expect(row.seq).toBe(i + 1);
    expect(row.prev_hash).toBe(i === 0 ? GENESIS : rows[i - 1]!.hash);
    expect(row.hash).toBe(sha256(`${row.prev_hash}\n${row.seq}\n${row.record}`));
  });
}

const url = process.env['ARGUS_TEST_PG_URL'] ?? 'postgres://argus:argus@127.0.0.1:15432/argus';
const schema = `audit_test_${randomBytes(4).toString('hex')}`;
const T0 = Date.UTC(2025, 2, 14, 9, 30, 0);

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    event_type: 'DECISION',
    transaction_id: `tx-${n}`,
    card_id: `card-${n % 3}`,
    occurred_at: T0 + n * 60_000 + 7,
    recorded_at: T0 + n * 60_000 + 19,
    payload: { outcome: n % 4 === 0 ? 'BLOCK' : 'APPROVE', score: n % 100, reasons: [{ code: 'AMOUNT_HIGH' }] },
    ...overrides,
  };
}

function range(from: number, count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, i) => entry(from + i));
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('AuditStore against PostgreSQL', () => {
  let admin: PgPool;
  let pool: PgPool;
  let store: AuditStore;

  async function sql(text: string, values?: unknown[]): Promise<Array<Record<string, unknown>>> {
    return (await pool.query('test.sql', text, values)).rows;
  }

  /** Reads the whole chain in small pages (to cross page boundaries), checks it and that the head is its last row. */
  async function expectConsistent(count: number): Promise<void> {
    const rows = await collect(store.readChain({ batchSize: 7 }));
    expect(rows).toHaveLength(count);
    expectChained(rows);
    const last = rows[rows.length - 1];
    await expect(store.head()).resolves.toEqual(last === undefined ? null : { seq: last.seq, hash: last.hash });
  }

  /** As the table owner, who may switch the append-only trigger off: resets the log between tests. */
  async function tamper(statement: string, values?: unknown[]): Promise<void> {
    await sql('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await sql(statement, values);
    } finally {
      await sql('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  }

  async function reset(): Promise<void> {
    await tamper('TRUNCATE audit_log');
    await sql('ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_forward_only');
    await sql('UPDATE audit_chain_head SET seq = 0, hash = NULL');
    await sql('ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_forward_only');
  }

  beforeAll(async () => {
    admin = createPgPool({ url, applicationName: 'audit-store-int-spec-admin', max: 1 });
    await admin.query('test.schema', `CREATE SCHEMA ${schema}`);
    pool = createPgPool({ url, applicationName: 'audit-store-int-spec', schema, max: 4 });
    store = new AuditStore(pool);
    await store.migrate();
  });

  afterAll(async () => {
    await pool?.end();
    await admin?.query('test.drop', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  beforeEach(reset);

  describe('migrations', () => {
    it('creates the log, the head and the append-only triggers once', async () => {
      await expect(store.migrate()).resolves.toEqual({ applied: [], alreadyApplied: 3, unknown: [] });
      const triggers = await sql(
        `SELECT tgname FROM pg_trigger WHERE tgrelid IN ('audit_log'::regclass, 'audit_chain_head'::regclass)
           AND NOT tgisinternal ORDER BY 1`,
      );
      expect(triggers.map((row) => row['tgname'])).toEqual([
        'audit_chain_head_forward_only',
        'audit_chain_head_no_truncate',
        'audit_log_append_only',
      ]);
      const indexes = await sql(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit_log' ORDER BY 1`,
      );
      expect(indexes.map((row) => row['indexname'])).toEqual([
        'audit_log_card_occurred_idx',
        'audit_log_decision_customer_idx',
        'audit_log_decision_device_idx',
        'audit_log_decision_ip_idx',
        'audit_log_decision_payee_idx',
        'audit_log_event_key',
        'audit_log_hash_key',
        'audit_log_pkey',
        'audit_log_recorded_brin',
        'audit_log_transaction_idx',
      ]);
    });

    it('starts with an empty chain', async () => {
      await expect(store.head()).resolves.toBeNull();
      await expect(collect(store.readChain())).resolves.toEqual([]);
      await expectConsistent(0);
    });

    it('says NOT_MIGRATED on a schema without the tables', async () => {
      const bare = createPgPool({ url, applicationName: 'audit-store-int-spec', schema: `${schema}_bare`, max: 1 });
      try {
        const error = await new AuditStore(bare).append([entry(1)], link).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuditStoreError);
        expect(error).toMatchObject({ code: AuditStoreErrorCode.NOT_MIGRATED });
        expect((error as AuditStoreError).cause).toBeInstanceOf(PgError);
      } finally {
        await bare.end();
      }
    });
  });

  describe('append', () => {
    it('writes the linked rows exactly and moves the head', async () => {
      const entries = range(1, 5);
      await expect(store.append(entries, link)).resolves.toEqual({ inserted: 5, duplicates: 0 });
      const expected = link(null, entries);
      await expect(collect(store.readChain())).resolves.toEqual(expected);
      await expect(store.head()).resolves.toEqual({ seq: 5, hash: expected[4]!.hash });
    });

    it('continues the chain across appends into one verifiable chain', async () => {
      await store.append(range(1, 3), link);
      await store.append(range(4, 4), link);
      await store.append([entry(8)], link);
      const rows = await collect(store.readChain());
      expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(rows).toEqual(link(null, range(1, 8)));
      await expectConsistent(8);
    });

    it('stores the timestamps to the millisecond and the payload as jsonb', async () => {
      await store.append([entry(1, { occurred_at: 1_741_944_600_001, recorded_at: 1_741_944_600_999 })], link);
      const [row] = await sql(
        `SELECT occurred_at = timestamptz '2025-03-14 09:30:00.001+00' AS exact, recorded_at, payload FROM audit_log`,
      );
      expect(row).toEqual({
        exact: true,
        recorded_at: new Date('2025-03-14T09:30:00.999Z'),
        payload: { outcome: 'APPROVE', score: 1, reasons: [{ code: 'AMOUNT_HIGH' }] },
      });
    });

    it('stores a payload whose strings hold a NUL character, which jsonb alone would refuse', async () => {
      await store.append([entry(1, { payload: { merchant: 'ACME\u0000SHOP' } })], link);
      const [row] = await sql(`SELECT payload->>'merchant' AS merchant FROM audit_log`);
      expect(row).toEqual({ merchant: 'ACME\ufffdSHOP' });
      await expectConsistent(1);
      const [stored] = await collect(store.readChain());
      expect(JSON.parse(stored!.record).payload.merchant).toBe('ACME\u0000SHOP');
    });

    it('appends a batch of 2 000 in one call', async () => {
      await expect(store.append(range(1, 2_000), link)).resolves.toEqual({ inserted: 2_000, duplicates: 0 });
      await expectConsistent(2_000);
    });

    it('writes nothing when the link function returns a wrong chain', async () => {
      await store.append([entry(1)], link);
      const skipsASeq: AuditLinkFn = (head, entries) =>
        link(head === null ? null : { seq: head.seq + 1, hash: head.hash }, entries);
      const error = await store.append(range(2, 3), skipsASeq).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: AuditStoreErrorCode.LINK_INVALID });
      expect((error as Error).message).toBe('row 0 has seq 3, expected 2');
      await expect(store.countByTransaction('tx-2')).resolves.toBe(0);
      await expect(store.head()).resolves.toMatchObject({ seq: 1 });
    });

    it('rolls back the whole batch when linking an entry fails', async () => {
      const bad = entry(3, { payload: { poison: true } });
      const error = await store.append([entry(1), entry(2), bad], link).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: AuditStoreErrorCode.APPEND_FAILED });
      expect((error as Error).message).toMatch(/cannot link/);
      await expect(store.head()).resolves.toBeNull();
    });
  });

  describe('idempotency', () => {
    it('never writes a second row for a redelivered batch', async () => {
      await store.append(range(1, 4), link);
      await expect(store.append(range(1, 4), link)).resolves.toEqual({ inserted: 0, duplicates: 4 });
      await expect(store.countByTransaction('tx-2')).resolves.toBe(1);
      await expect(store.head()).resolves.toMatchObject({ seq: 4 });
    });

    it('writes only the new entries of a partly redelivered batch', async () => {
      await store.append(range(1, 3), link);
      await expect(store.append(range(2, 4), link)).resolves.toEqual({ inserted: 2, duplicates: 2 });
      const rows = await collect(store.readChain());
      expect(rows.map((row) => [row.seq, row.transaction_id])).toEqual([
        [1, 'tx-1'],
        [2, 'tx-2'],
        [3, 'tx-3'],
        [4, 'tx-4'],
        [5, 'tx-5'],
      ]);
      await expectConsistent(5);
    });

    it('keeps the first of entries repeated within one batch', async () => {
      const first = entry(1);
      const again = entry(1, { payload: { outcome: 'BLOCK' } });
      await expect(store.append([first, entry(2), again], link)).resolves.toEqual({
        inserted: 2,
        duplicates: 1,
      });
      const [row] = await store.findByTransaction('tx-1');
      expect(row!.payload).toEqual(first.payload);
    });

    it('keeps one row per event type of a transaction', async () => {
      const label = entry(1, { event_type: 'LABEL', payload: { label: 'FRAUD' } });
      const action = entry(1, { event_type: 'CASE_ACTION', payload: { action: 'ESCALATE' } });
      await store.append([entry(1), label, action], link);
      await store.append([label], link);
      await expect(store.countByTransaction('tx-1')).resolves.toBe(3);
      await expect(store.countByTransaction('tx-1', 'LABEL')).resolves.toBe(1);
      await expect(store.countByTransaction('tx-unknown')).resolves.toBe(0);
    });

    it('keeps many events of one type for a transaction when each has its own id, each once', async () => {
      const actions = ['CLAIMED', 'VIEWED', 'NOTE_ADDED', 'CLOSED'].map((type, i) =>
        entry(1, { event_type: 'CASE_ACTION', event_id: `case-1:${i + 1}`, payload: { type } }),
      );
      await store.append([entry(1), ...actions.slice(0, 2)], link);
      await expect(store.append(actions, link)).resolves.toEqual({ inserted: 2, duplicates: 2 });
      await expect(store.countByTransaction('tx-1', 'CASE_ACTION')).resolves.toBe(4);
      const rows = await store.findByTransaction('tx-1');
      expect(rows.map((row) => row.event_id)).toEqual([null, 'case-1:1', 'case-1:2', 'case-1:3', 'case-1:4']);
      expectChained(rows);
    });

    it('refuses a second row for one event key even from a writer that skips the store', async () => {
      await store.append([entry(1, { event_id: 'e-1' })], link);
      const [row] = await store.findByTransaction('tx-1');
      await expect(
        sql(
          `INSERT INTO audit_log (seq, event_id, event_type, transaction_id, card_id, occurred_at, recorded_at,
                                  prev_hash, hash, record)
           VALUES (2, 'e-1', 'DECISION', 'tx-2', 'card-2', now(), now(), $1, $2, '{}')`,
          [row!.hash, 'f'.repeat(64)],
        ),
      ).rejects.toThrow(/audit_log_event_key/);
    });
  });

  describe('concurrent appenders', () => {
    it('keep one gapless, verifiable chain when two pools append overlapping batches in parallel', async () => {
      const pools = [0, 1].map(() => createPgPool({ url, applicationName: 'audit-appender', schema, max: 3 }));
      try {
        const stores = pools.map((p) => new AuditStore(p));
        // Each appender sends 15 batches of 20; both send tx 141–160, as after a consumer-group rebalance.
        const work = stores.map((appender, a) =>
          Array.from({ length: 15 }, (_, b) => appender.append(range(1 + a * 140 + b * 20, 20), link)),
        );
        const results = await Promise.all(work.flat());
        const inserted = results.reduce((sum, r) => sum + r.inserted, 0);
        const duplicates = results.reduce((sum, r) => sum + r.duplicates, 0);
        expect({ inserted, duplicates }).toEqual({ inserted: 440, duplicates: 160 });
        const rows = await collect(store.readChain());
        expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 440 }, (_, i) => i + 1));
        expect(new Set(rows.map((row) => row.transaction_id)).size).toBe(440);
        await expectConsistent(440);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
      }
    });
  });

  describe('the database refuses to change history', () => {
    beforeEach(async () => {
      await store.append(range(1, 3), link);
    });

    it.each([
      ['UPDATE', `UPDATE audit_log SET record = '{}' WHERE seq = 2`],
      ['UPDATE', `UPDATE audit_log SET card_id = 'x' WHERE false`],
      ['DELETE', 'DELETE FROM audit_log WHERE seq = 3'],
      ['TRUNCATE', 'TRUNCATE audit_log'],
    ])('refuses %s with a clear message (%s)', async (op, statement) => {
      const error = await sql(statement).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PgError);
      expect(error).toMatchObject({ sqlState: '42501' });
      expect((error as PgError).message).toContain(`audit_log is append-only: ${op} is not allowed`);
      await expectConsistent(3);
    });

    it('refuses to move the head backwards or delete it', async () => {
      await expect(sql('UPDATE audit_chain_head SET seq = 1')).rejects.toThrow(/may only move forward/);
      await expect(sql('DELETE FROM audit_chain_head')).rejects.toThrow(/DELETE is not allowed/);
      await expect(sql('TRUNCATE audit_chain_head')).rejects.toThrow(/TRUNCATE is not allowed/);
    });
  });

  describe('reading', () => {
    beforeEach(async () => {
      await store.append(range(1, 10), link);
    });

    it('pages through the chain by keyset, from any seq', async () => {
      const all = await collect(store.readChain());
      await expect(collect(store.readChain({ batchSize: 3 }))).resolves.toEqual(all);
      await expect(collect(store.readChain({ batchSize: 5 }))).resolves.toEqual(all);
      await expect(collect(store.readChain({ fromSeq: 8, batchSize: 2 }))).resolves.toEqual(all.slice(7));
    });

    it.each([[{ batchSize: 0 }], [{ fromSeq: 0 }], [{ batchSize: 1.5 }]])('refuses %o', async (options) => {
      await expect(collect(store.readChain(options))).rejects.toMatchObject({
        code: AuditStoreErrorCode.INVALID_ARGUMENT,
      });
    });

    it('finds a transaction’s rows with the payload parsed', async () => {
      await store.append([entry(4, { event_type: 'LABEL', payload: { label: 'FRAUD' } })], link);
      const rows = await store.findByTransaction('tx-4');
      expect(rows.map((row) => [row.seq, row.event_type, row.payload])).toEqual([
        [4, 'DECISION', { outcome: 'BLOCK', score: 4, reasons: [{ code: 'AMOUNT_HIGH' }] }],
        [11, 'LABEL', { label: 'FRAUD' }],
      ]);
      expect(rows[0]).toMatchObject({ transaction_id: 'tx-4', card_id: 'card-1', occurred_at: T0 + 4 * 60_000 + 7 });
      await expect(store.findByTransaction('tx-none')).resolves.toEqual([]);
    });

    it('finds a card’s rows in a time window, oldest first', async () => {
      const rows = await store.findByCard('card-1', { from: T0 + 4 * 60_000 + 7, to: T0 + 10 * 60_000 + 7 });
      expect(rows.map((row) => row.transaction_id)).toEqual(['tx-4', 'tx-7']);
      const limited = await store.findByCard('card-1', { limit: 2 });
      expect(limited.map((row) => row.transaction_id)).toEqual(['tx-1', 'tx-4']);
    });
  });

  describe('what a case file asks of the decisions', () => {
    const decided = (n: number, card: string, transaction: Record<string, unknown>, outcome = 'APPROVE'): AuditEntry =>
      entry(n, {
        card_id: card,
        payload: {
          outcome,
          transaction: {
            customer_id: 'cus-1',
            device_fingerprint: null,
            ip_address: null,
            attributes: {},
            ...transaction,
          },
        },
      });

    it('reads the latest decisions of a card or a customer, newest first', async () => {
      await store.append(
        [
          decided(1, 'card-a', { customer_id: 'cus-7' }),
          decided(2, 'card-b', { customer_id: 'cus-7' }),
          decided(3, 'card-a', { customer_id: 'cus-7' }),
          decided(4, 'card-c', { customer_id: 'cus-8' }),
        ],
        link,
      );
      const ids = (rows: { transaction_id: string }[]) => rows.map((row) => row.transaction_id);
      expect(ids(await store.recentDecisions({ card: 'card-a' }))).toEqual(['tx-3', 'tx-1']);
      expect(ids(await store.recentDecisions({ customer: 'cus-7' }, 2))).toEqual(['tx-3', 'tx-2']);
      await expect(store.recentDecisions({})).rejects.toMatchObject({ code: AuditStoreErrorCode.INVALID_ARGUMENT });
    });

    it('finds the other cards on the same device, IP address or payee, and uses the indexes', async () => {
      await store.append(
        [
          decided(1, 'card-a', { device_fingerprint: 'dev-1', ip_address: '10.0.0.1' }),
          decided(2, 'card-b', { device_fingerprint: 'dev-1' }, 'BLOCK'),
          decided(3, 'card-c', { ip_address: '10.0.0.1' }),
          decided(4, 'card-d', { payment_method: 'ACCOUNT_TRANSFER', merchant_id: 'acct-9' }),
          decided(5, 'card-e', { attributes: { payee_account: 'acct-9' } }),
          decided(6, 'card-f', { payment_method: 'CARD', merchant_id: 'acct-9' }),
        ],
        link,
      );
      const linked = await store.linkedCards({
        device: 'dev-1',
        ip: '10.0.0.1',
        payee: 'acct-9',
        exceptCard: 'card-a',
        since: 0,
      });
      const summary = linked.map((row) => `${row.via}:${row.cardId}:${row.alerts}`).sort();
      // card-f paid a merchant with that id by card: not a payee.
      expect(summary).toEqual(['DEVICE:card-b:1', 'IP:card-c:0', 'PAYEE:card-d:0', 'PAYEE:card-e:0']);
      await expect(store.linkedCards({ exceptCard: 'card-a', since: 0 })).resolves.toEqual([]);
      // On six rows the planner rightly prefers a scan; with scans off it must find the partial index usable.
      const connection = await pool.connect();
      let forced: unknown[];
      try {
        await connection.query('test.no_seqscan', 'SET enable_seqscan = off');
        ({ rows: forced } = await connection.query(
          'test.explain',
          `EXPLAIN SELECT card_id FROM audit_log WHERE event_type = 'DECISION'
             AND (payload -> 'transaction' ->> 'device_fingerprint') = 'dev-1'`,
        ));
        await connection.query('test.reset_seqscan', 'RESET enable_seqscan');
      } finally {
        connection.release();
      }
      expect(JSON.stringify(forced)).toContain('audit_log_decision_device_idx');
    });
  });
});
