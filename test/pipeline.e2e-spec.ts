/**
 * End to end, across the running services (started by `npm test`): 10,000 good transactions and more than
 * 5% bad ones, in varied ways, through Kafka → ingestion → rules → decision-combiner → decisions → audit.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topics, type Transaction } from '@argus/contracts';
import type { KafkaRuntime } from '@argus/kafka';
import { createPgPool, type PgPool } from '@argus/pg';
import {
  getFromEveryProcess,
  loadStackSettings,
  seededRandom,
  stackUrls,
  startTestKafka,
  syntheticTransaction,
  TopicCollector,
  waitFor,
} from '@argus/testing';

const run = promisify(execFile);
const GOOD = 10_000;
const settings = loadStackSettings();
const urls = stackUrls(settings);
const runId = `e2e-${randomUUID().slice(0, 8)}`;

/** A Luhn-valid 16-digit card number (test PANs: none is a real card). */
function testPan(n: number): string {
  const body = `4${String(900_000_000_000_00 + n).padStart(14, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

type BadKind = { reason: string; fieldCode?: string; count: number; make: (marker: string) => Buffer | Transaction };

describe('pipeline end to end', () => {
  let kafka: KafkaRuntime;
  let pool: PgPool;
  let decisions: TopicCollector<'decisions'>;
  let dlq: TopicCollector<'transactionsDlq'>;
  let normalized: TopicCollector<'transactionsNormalized'>;
  const random = seededRandom(7);
  const pans: string[] = [];
  const expectedDlq = new Map<string, { reason: string; fieldCode?: string }>();

  beforeAll(async () => {
    kafka = await startTestKafka(settings, 'e2e', runId, [
      'transactions',
      'transactionsNormalized',
      'decisions',
      'labels',
    ]);
    pool = createPgPool({ url: urls.postgresUrl, applicationName: 'argus-e2e' });
    const ours = (id: string) => id.startsWith(runId);
    decisions = new TopicCollector(kafka.kafka, kafka.serde, 'decisions', (d) => ours(d.transaction_id));
    normalized = new TopicCollector(kafka.kafka, kafka.serde, 'transactionsNormalized', (t) => ours(t.transaction_id));
    dlq = new TopicCollector(kafka.kafka, kafka.serde, 'transactionsDlq', (d) =>
      (d.original_value?.toString('latin1') ?? '').includes(runId),
    );
    await Promise.all([decisions.start(), dlq.start(), normalized.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([decisions?.stop(), dlq?.stop(), normalized?.stop()]);
    await kafka?.stop();
    await pool?.end();
  });

  it('decides every good transaction exactly once, dead-letters every bad one with its reason, audits all', async () => {
    const transactionsSchemaId = kafka.serde.schemaId('transactions');
    const labelsSchemaId = kafka.serde.schemaId('labels');
    const valid = (marker: string): Transaction => ({
      ...syntheticTransaction(0, random, { runId }),
      transaction_id: marker,
    });
    const avroBody = (marker: string) => kafka.serde.encode('transactions', valid(marker)).subarray(5);
    const withHeader = (id: number, body: Buffer) => {
      const header = Buffer.alloc(5);
      header.writeInt32BE(id, 1);
      return Buffer.concat([header, body]);
    };

    const badKinds: BadKind[] = [
      { reason: 'BAD_MAGIC_BYTE', count: 100, make: (m) => Buffer.from(JSON.stringify({ transaction_id: m })) },
      { reason: 'UNKNOWN_SCHEMA_ID', count: 80, make: (m) => withHeader(987_654_321, avroBody(m)) },
      {
        reason: 'MALFORMED_AVRO',
        count: 80,
        make: (m) => withHeader(transactionsSchemaId, avroBody(m).subarray(0, m.length + 6)),
      },
      {
        reason: 'INCOMPATIBLE_SCHEMA',
        count: 40,
        make: (m) =>
          withHeader(
            labelsSchemaId,
            kafka.serde
              .encode('labels', {
                transaction_id: m,
                card_id: 'c',
                label: 'FRAUD',
                source: 'ANALYST',
                reported_at: 1,
                event_time: null,
                note: null,
              })
              .subarray(5),
          ),
      },
      {
        reason: 'INVALID_TRANSACTION',
        fieldCode: 'AMOUNT_NOT_POSITIVE',
        count: 60,
        make: (m) => ({ ...valid(m), amount_minor: -5 }),
      },
      {
        reason: 'INVALID_TRANSACTION',
        fieldCode: 'UNKNOWN_CURRENCY',
        count: 60,
        make: (m) => ({ ...valid(m), currency: 'ZZQ' }),
      },
      {
        reason: 'INVALID_TRANSACTION',
        fieldCode: 'EVENT_TIME_IN_FUTURE',
        count: 40,
        make: (m) => ({ ...valid(m), event_time: Date.now() + 3_600_000 }),
      },
      {
        reason: 'INVALID_TRANSACTION',
        fieldCode: 'MISSING_CARD',
        count: 40,
        make: (m) => ({ ...valid(m), card_id: null }),
      },
      {
        reason: 'INVALID_TRANSACTION',
        fieldCode: 'INVALID_MCC',
        count: 30,
        make: (m) => ({ ...valid(m), merchant_category_code: '12a' }),
      },
      {
        reason: 'INVALID_TRANSACTION',
        fieldCode: 'INVALID_PAN',
        count: 30,
        make: (m) => ({ ...valid(m), card_id: null, pan: '4111111111111112' }),
      },
    ];

    type Outgoing = { key: string; value: Buffer };
    const outgoing: Outgoing[] = [];
    const goodIds: string[] = [];
    for (let i = 0; i < GOOD; i += 1) {
      const transaction = syntheticTransaction(i, random, { runId });
      // One in twenty arrives with a clear card number, which ingestion must tokenise.
      if (i % 20 === 0) {
        const pan = testPan(i);
        pans.push(pan);
        transaction.pan = pan;
        transaction.card_id = null;
      }
      goodIds.push(transaction.transaction_id);
      outgoing.push({ key: transaction.card_id ?? `k${i}`, value: kafka.serde.encode('transactions', transaction) });
    }
    let badCount = 0;
    for (const kind of badKinds) {
      for (let i = 0; i < kind.count; i += 1) {
        const marker = `${runId}-bad-${badCount}`;
        badCount += 1;
        expectedDlq.set(marker, { reason: kind.reason, fieldCode: kind.fieldCode });
        const made = kind.make(marker);
        outgoing.push({ key: marker, value: Buffer.isBuffer(made) ? made : kafka.serde.encode('transactions', made) });
      }
    }
    // A resubmitted id is a duplicate: dropped by ingestion, never decided twice.
    const duplicates = goodIds.slice(0, 100).map((id, i) => {
      const transaction = { ...syntheticTransaction(i, seededRandom(99), { runId }), transaction_id: id };
      return { key: transaction.card_id!, value: kafka.serde.encode('transactions', transaction) };
    });
    expect(badCount / GOOD).toBeGreaterThanOrEqual(0.05);

    // Shuffle good and bad together, then send duplicates, then sentinels on every card so that each
    // partition's sentinel is decided only after everything before it.
    for (let i = outgoing.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [outgoing[i], outgoing[j]] = [outgoing[j]!, outgoing[i]!];
    }
    const sentinels = Array.from({ length: 60 }, (_, i) => ({
      ...syntheticTransaction(i, random, { runId: `${runId}-sentinel` }),
      card_id: `sentinel-card-${i}`,
    }));
    const topic = Topics.transactions.name;
    // Summed over every ingestion process (ARGUS_SERVICES_REPLICAS): a copy is dropped by whichever replica
    // owns its partition.
    const intakeStats = async () => {
      const stats = await getFromEveryProcess<{ duplicates: number }>(settings, 'ingestion', '/v1/transactions/stats');
      return { duplicates: stats.reduce((sum, { duplicates }) => sum + duplicates, 0) };
    };
    const duplicatesBefore = (await intakeStats()).duplicates;
    for (let i = 0; i < outgoing.length; i += 500) {
      await kafka.producer.sendRaw([{ topic, messages: outgoing.slice(i, i + 500) }]);
    }
    await kafka.producer.sendRaw([{ topic, messages: duplicates }]);
    await kafka.producer.send(
      'transactions',
      sentinels.map((s) => ({ key: s.card_id!, value: s })),
    );

    const expectedDecisions = GOOD + sentinels.length;
    await waitFor(() => new Set(decisions.records.map((r) => r.value.transaction_id)).size >= expectedDecisions, {
      timeoutMs: 240_000,
      intervalMs: 500,
      description: `${expectedDecisions} decisions (have ${decisions.records.length})`,
    });
    await waitFor(() => dlq.records.length >= badCount, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `${badCount} dead letters (have ${dlq.records.length})`,
    });

    // Exactly one decision per good transaction.
    const perId = new Map<string, number>();
    for (const record of decisions.records)
      perId.set(record.value.transaction_id, (perId.get(record.value.transaction_id) ?? 0) + 1);
    expect(goodIds.filter((id) => perId.get(id) !== 1)).toEqual([]);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    expect(decisions.records).toHaveLength(expectedDecisions);
    // The duplicates were dropped and counted by ingestion.
    expect((await intakeStats()).duplicates - duplicatesBefore).toBe(duplicates.length);

    // Every bad record in the DLQ once, with the right reason.
    const dlqByMarker = new Map<string, { reason: string; fieldCodes: string[] }>();
    for (const { value } of dlq.records) {
      const marker = value.original_value!.toString('latin1').match(new RegExp(`${runId}-bad-\\d+`))?.[0];
      expect(marker).toBeDefined();
      expect(dlqByMarker.has(marker!)).toBe(false);
      dlqByMarker.set(marker!, { reason: value.reason_code, fieldCodes: value.field_errors.map((e) => e.code) });
    }
    for (const [marker, expected] of expectedDlq) {
      const actual = dlqByMarker.get(marker);
      expect({ marker, reason: actual?.reason }).toEqual({ marker, reason: expected.reason });
      if (expected.fieldCode) expect(actual!.fieldCodes).toContain(expected.fieldCode);
    }

    // Exactly one audit row per decision (the log also holds the labels and the case actions of these
    // transactions: count the decisions).
    await waitFor(
      async () =>
        Number(
          (
            await pool.query(
              'count',
              `select count(*) from audit_log where transaction_id like $1 and event_type = 'DECISION'`,
              [`${runId}%`],
            )
          ).rows[0].count,
        ) >= expectedDecisions,
      { timeoutMs: 60_000, intervalMs: 500, description: 'every decision in the audit log' },
    );
    const rows = await pool.query<{ n: number }>(
      'per-transaction',
      `select transaction_id, count(*)::int as n from audit_log where transaction_id like $1 and event_type = 'DECISION' group by 1`,
      [`${runId}%`],
    );
    expect(rows.rowCount).toBe(expectedDecisions);
    expect(rows.rows.every((row) => row.n === 1)).toBe(true);

    // No clear card number went further than ingestion: not on a topic, not in a table, not in a log.
    const panPattern = new RegExp(pans.join('|'));
    expect(normalized.records.length).toBeGreaterThanOrEqual(GOOD);
    expect(normalized.records.filter((r) => panPattern.test(r.raw.toString('latin1')))).toEqual([]);
    expect(decisions.records.filter((r) => panPattern.test(r.raw.toString('latin1')))).toEqual([]);
    const invalidPanLetters = dlq.records.filter((r) =>
      r.value.original_value!.toString('latin1').includes('4111111111111112'),
    );
    expect(invalidPanLetters).toEqual([]);
    const leaked = await pool.query('leak', `select count(*)::int as n from audit_log where record ~ $1`, [
      pans.slice(0, 50).join('|'),
    ]);
    expect(leaked.rows[0].n).toBe(0);
    const logDir = join(settings.repoRoot, '.argus', 'services', 'logs');
    for (const file of readdirSync(logDir)) {
      expect({ file, leaks: panPattern.test(readFileSync(join(logDir, file), 'latin1')) }).toEqual({
        file,
        leaks: false,
      });
    }
  }, 420_000);

  it('verifies the audit chain, then names the row after a deliberate tampering', async () => {
    const verify = async () => {
      try {
        const { stdout } = await run('node', ['bin/argus.js', 'audit', 'verify', '--json'], { cwd: settings.repoRoot });
        return { code: 0, result: JSON.parse(stdout) };
      } catch (error) {
        const failure = error as { code: number; stdout: string };
        return { code: failure.code, result: JSON.parse(failure.stdout) };
      }
    };
    const before = await verify();
    expect(before.code).toBe(0);
    expect(before.result.ok).toBe(true);

    const { rows } = await pool.query(
      'pick',
      `select seq, record from audit_log where transaction_id like $1 and event_type = 'DECISION'
        order by seq limit 1 offset 17`,
      [`${runId}%`],
    );
    const { seq, record } = rows[0] as { seq: string; record: string };
    const tampered = record
      .replace(/"outcome":"[A-Z]+"/, '"outcome":"APPROVE"')
      .replace(/"amount_minor":\d+/, '"amount_minor":1');
    expect(tampered).not.toBe(record);
    const overwrite = async (text: string) => {
      const client = await pool.connect();
      try {
        await client.query('begin', 'begin');
        await client.query('disable', 'alter table audit_log disable trigger user');
        await client.query('tamper', 'update audit_log set record = $1 where seq = $2', [text, seq]);
        await client.query('enable', 'alter table audit_log enable trigger user');
        await client.query('commit', 'commit');
      } finally {
        client.release();
      }
    };
    await expect(
      pool.query('update', 'update audit_log set record = $1 where seq = $2', [tampered, seq]),
    ).rejects.toThrow();
    await overwrite(tampered);
    try {
      const after = await verify();
      expect(after.code).toBe(1);
      expect(after.result.ok).toBe(false);
      expect(String(after.result.first_break.seq)).toBe(String(seq));
    } finally {
      await overwrite(record);
    }
    expect((await verify()).code).toBe(0);
  }, 180_000);
});
