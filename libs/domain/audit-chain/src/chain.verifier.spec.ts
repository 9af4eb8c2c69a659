import type { AuditRow, AuditRowLike } from './audit-chain.types';
import { chainHash, GENESIS_HASH, linkEntries } from './chain.linker';
import { verifyChain } from './chain.verifier';
import { decisionEntries, decisionEntry } from './fixtures/audit-entries.fixtures';

function chain(count: number): AuditRow[] {
  return linkEntries(null, decisionEntries(count));
}

/** The same rows as an async stream, as the store yields them. */
async function* stream(rows: readonly AuditRowLike[]): AsyncGenerator<AuditRowLike> {
  for (const row of rows) yield row;
}

/** A change to the hashed content that keeps the record a valid entry. */
function forge(record: string): string {
  const forged = record.replace('"rules-2025.03.1"', '"rules-forged"');
  if (forged === record) throw new Error('fixture record did not contain the rule set version');
  return forged;
}

/** Re-hashes rows from `from` on, as an attacker who knows the scheme would after editing one. */
function rehash(rows: AuditRow[], from: number): AuditRow[] {
  const out = rows.slice(0, from);
  for (const row of rows.slice(from)) {
    const prev = out.length === 0 ? GENESIS_HASH : out[out.length - 1]!.hash;
    out.push({ ...row, prev_hash: prev, hash: chainHash(prev, row.seq, row.record) });
  }
  return out;
}

describe('verifyChain on an intact chain', () => {
  it('accepts it and returns the row count and the head', async () => {
    const rows = chain(10);
    await expect(verifyChain(rows)).resolves.toEqual({ ok: true, rows: 10, head: { seq: 10, hash: rows[9]!.hash } });
  });

  it('reads an async stream as well as an array', async () => {
    const rows = chain(10);
    await expect(verifyChain(stream(rows))).resolves.toEqual(await verifyChain(rows));
  });

  it('accepts an empty chain with no head', async () => {
    await expect(verifyChain([])).resolves.toEqual({ ok: true, rows: 0, head: null });
  });

  it('accepts storage rows: seq as a string or bigint, times as Dates, columns absent', async () => {
    const rows = chain(3).map((row, i) => ({
      ...row,
      seq: i === 0 ? String(row.seq) : BigInt(row.seq),
      occurred_at: new Date(row.occurred_at),
      recorded_at: new Date(row.recorded_at),
    }));
    const bare = chain(3).map(({ seq, prev_hash, hash, record }) => ({ seq, prev_hash, hash, record }));
    await expect(verifyChain(rows)).resolves.toMatchObject({ ok: true, rows: 3 });
    await expect(verifyChain(bare)).resolves.toMatchObject({ ok: true, rows: 3 });
  });

  it('accepts a consistently hashed record whose keys are not in canonical order', async () => {
    const rows: AuditRowLike[] = chain(2);
    const parsed = JSON.parse(rows[1]!.record) as Record<string, unknown>;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()));
    expect(reordered).not.toBe(rows[1]!.record);
    rows[1] = { ...rows[1]!, record: reordered, hash: chainHash(rows[1]!.prev_hash, 2, reordered) };
    await expect(verifyChain(rows)).resolves.toMatchObject({ ok: true, rows: 2 });
  });

  it('starts after an anchor when earlier rows were archived', async () => {
    const rows = chain(10);
    const anchor = { seq: 6, hash: rows[5]!.hash };
    await expect(verifyChain(rows.slice(6), { after: anchor })).resolves.toEqual({
      ok: true,
      rows: 4,
      head: { seq: 10, hash: rows[9]!.hash },
    });
    const wrongAnchor = { seq: 6, hash: rows[4]!.hash };
    await expect(verifyChain(rows.slice(6), { after: wrongAnchor })).resolves.toMatchObject({
      ok: false,
      first_break: { seq: 7, kind: 'BROKEN_LINK' },
    });
  });

  it('accepts rows appended after the head was read', async () => {
    const rows = chain(8);
    await expect(verifyChain(rows, { expectHead: { seq: 5, hash: rows[4]!.hash } })).resolves.toMatchObject({
      ok: true,
      rows: 8,
    });
  });

  it('walks 100 000 generated rows holding one at a time', async () => {
    // Rows are produced lazily, so this only passes if the walk never needs the whole chain at once.
    function* lazy(): Generator<AuditRow> {
      let head: { seq: number; hash: string } | null = null;
      for (let n = 1; n <= 100_000; n += 1) {
        const [row] = linkEntries(head, [decisionEntry(n)]);
        head = { seq: row!.seq, hash: row!.hash };
        yield row!;
      }
    }
    await expect(verifyChain(lazy())).resolves.toMatchObject({ ok: true, rows: 100_000 });
  });
});

describe('verifyChain names the first break', () => {
  it('HASH_MISMATCH: a modified record', async () => {
    const rows = chain(10);
    const tampered = { ...rows[4]!, record: forge(rows[4]!.record) };
    const result = await verifyChain([...rows.slice(0, 4), tampered, ...rows.slice(5)]);
    expect(result).toEqual({
      ok: false,
      rows_checked: 5,
      first_break: {
        seq: 5,
        transaction_id: 'tx-000005',
        kind: 'HASH_MISMATCH',
        message: expect.stringContaining('record was modified'),
      },
    });
  });

  it('HASH_MISMATCH: a modified stored hash breaks that row first', async () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, hash: 'f'.repeat(64) };
    await expect(verifyChain(rows)).resolves.toMatchObject({ first_break: { seq: 3, kind: 'HASH_MISMATCH' } });
  });

  it('BROKEN_LINK: a modified record re-hashed by someone who knows the scheme shows at the next row', async () => {
    const rows = chain(10);
    rows[4] = { ...rows[4]!, record: forge(rows[4]!.record) };
    rows[4] = { ...rows[4]!, hash: chainHash(rows[4]!.prev_hash, 5, rows[4]!.record) };
    await expect(verifyChain(rows)).resolves.toMatchObject({
      ok: false,
      rows_checked: 6,
      first_break: { seq: 6, transaction_id: 'tx-000006', kind: 'BROKEN_LINK' },
    });
  });

  it('SEQUENCE_GAP: a deleted row in the middle', async () => {
    const rows = chain(10);
    const result = await verifyChain([...rows.slice(0, 3), ...rows.slice(4)]);
    expect(result).toEqual({
      ok: false,
      rows_checked: 4,
      first_break: {
        seq: 5,
        transaction_id: 'tx-000005',
        kind: 'SEQUENCE_GAP',
        message: 'expected seq 4 but found 5: 1 row(s) missing',
      },
    });
  });

  it('SEQUENCE_GAP: the genesis row deleted', async () => {
    await expect(verifyChain(chain(3).slice(1))).resolves.toMatchObject({
      first_break: { seq: 2, kind: 'SEQUENCE_GAP' },
    });
  });

  it('BROKEN_LINK: a deleted row with later rows renumbered to close the gap', async () => {
    const rows = chain(10);
    const renumbered = [...rows.slice(0, 3), ...rows.slice(4).map((row) => ({ ...row, seq: row.seq - 1 }))];
    await expect(verifyChain(renumbered)).resolves.toMatchObject({
      first_break: { seq: 4, transaction_id: 'tx-000005', kind: 'BROKEN_LINK' },
    });
  });

  it('SEQUENCE_GAP: the last rows deleted, caught against the recorded head', async () => {
    const rows = chain(10);
    const head = { seq: 10, hash: rows[9]!.hash };
    await expect(verifyChain(rows.slice(0, 8))).resolves.toMatchObject({ ok: true });
    await expect(verifyChain(rows.slice(0, 8), { expectHead: head })).resolves.toEqual({
      ok: false,
      rows_checked: 8,
      first_break: {
        seq: 9,
        transaction_id: null,
        kind: 'SEQUENCE_GAP',
        message: 'the chain ends at seq 8 but its head records seq 10: rows 9–10 are missing',
      },
    });
  });

  it('BROKEN_LINK: the row at the head seq is not the one the head recorded', async () => {
    const rows = chain(10);
    const forged = rehash([...rows.slice(0, 9), { ...rows[9]!, record: forge(rows[9]!.record) }], 9);
    await expect(verifyChain(forged, { expectHead: { seq: 10, hash: rows[9]!.hash } })).resolves.toMatchObject({
      first_break: { seq: 10, kind: 'BROKEN_LINK', message: expect.stringContaining('chain head records') },
    });
  });

  it('BROKEN_LINK: an inserted row that links correctly but pushes the next row', async () => {
    const rows = chain(10);
    const [forged] = linkEntries({ seq: 4, hash: rows[3]!.hash }, [decisionEntry(999)]);
    const withInsert = [...rows.slice(0, 4), forged!, ...rows.slice(4).map((row) => ({ ...row, seq: row.seq + 1 }))];
    await expect(verifyChain(withInsert)).resolves.toMatchObject({
      rows_checked: 6,
      first_break: { seq: 6, transaction_id: 'tx-000005', kind: 'BROKEN_LINK' },
    });
  });

  it('SEQUENCE_GAP: an inserted row that duplicates a seq', async () => {
    const rows = chain(10);
    const [forged] = linkEntries({ seq: 4, hash: rows[3]!.hash }, [decisionEntry(999)]);
    const withInsert = [...rows.slice(0, 5), forged!, ...rows.slice(5)];
    await expect(verifyChain(withInsert)).resolves.toMatchObject({
      first_break: {
        seq: 5,
        transaction_id: 'tx-000999',
        kind: 'SEQUENCE_GAP',
        message: 'seq 5 comes after seq 5: a duplicated or reordered row',
      },
    });
  });

  it('SEQUENCE_GAP: two rows swapped in order', async () => {
    const rows = chain(10);
    const swapped = [...rows.slice(0, 3), rows[4]!, rows[3]!, ...rows.slice(5)];
    await expect(verifyChain(swapped)).resolves.toMatchObject({
      first_break: { seq: 5, kind: 'SEQUENCE_GAP', message: 'expected seq 4 but found 5: 1 row(s) missing' },
    });
  });

  it('BROKEN_LINK: two rows swapped with their seqs exchanged', async () => {
    const rows = chain(10);
    const swapped = [...rows.slice(0, 3), { ...rows[4]!, seq: 4 }, { ...rows[3]!, seq: 5 }, ...rows.slice(5)];
    await expect(verifyChain(swapped)).resolves.toMatchObject({
      first_break: { seq: 4, transaction_id: 'tx-000005', kind: 'BROKEN_LINK' },
    });
  });

  it('BROKEN_LINK: a genesis row not linked to 64 zeros', async () => {
    const rows = rehash(chain(3), 0);
    rows[0] = { ...rows[0]!, prev_hash: 'a'.repeat(64) };
    await expect(verifyChain(rows)).resolves.toMatchObject({
      first_break: { seq: 1, kind: 'BROKEN_LINK', message: expect.stringContaining('genesis') },
    });
  });

  it.each<[string, Partial<AuditRowLike>, RegExp]>([
    ['transaction_id', { transaction_id: 'tx-innocent' }, /column transaction_id is "tx-innocent"/],
    ['card_id', { card_id: 'card-other' }, /column card_id/],
    ['event_type', { event_type: 'LABEL' }, /column event_type/],
    ['occurred_at', { occurred_at: new Date(0) }, /column occurred_at is 0/],
    ['recorded_at', { recorded_at: 1 }, /column recorded_at is 1/],
  ])('RECORD_MISMATCH: the %s column edited while the hashed record was left alone', async (_f, change, message) => {
    const rows: AuditRowLike[] = chain(5);
    rows[3] = { ...rows[3]!, ...change };
    const result = await verifyChain(rows);
    expect(result).toMatchObject({ ok: false, rows_checked: 4, first_break: { seq: 4, kind: 'RECORD_MISMATCH' } });
    expect(!result.ok && result.first_break.message).toMatch(message);
  });

  it('accepts rows with event ids, several per transaction, with or without the event_id column', async () => {
    const entries = decisionEntries(4).map((entry, i) => ({ ...entry, transaction_id: 'tx-same', event_id: `e-${i}` }));
    const rows = linkEntries(null, entries);
    await expect(verifyChain(rows)).resolves.toMatchObject({ ok: true, rows: 4 });
    const bare = rows.map(({ event_id: _id, ...rest }) => rest);
    await expect(verifyChain(bare)).resolves.toMatchObject({ ok: true, rows: 4 });
  });

  it.each<[string, string | null]>([
    ['another id', 'e-forged'],
    ['no id', null],
  ])('RECORD_MISMATCH: the event_id column says %s while the record was left alone', async (_what, eventId) => {
    const rows: AuditRowLike[] = linkEntries(
      null,
      decisionEntries(3).map((entry, i) => ({ ...entry, event_id: `e-${i}` })),
    );
    rows[1] = { ...rows[1]!, event_id: eventId };
    await expect(verifyChain(rows)).resolves.toMatchObject({
      ok: false,
      first_break: { seq: 2, kind: 'RECORD_MISMATCH', message: expect.stringMatching(/column event_id/) },
    });
  });

  it('RECORD_MISMATCH: a record that is not a JSON object, even if hashed consistently', async () => {
    const rows = chain(2);
    rows[1] = { ...rows[1]!, record: '[1,2]', hash: chainHash(rows[1]!.prev_hash, 2, '[1,2]') };
    await expect(verifyChain(rows)).resolves.toMatchObject({
      first_break: { seq: 2, kind: 'RECORD_MISMATCH', transaction_id: 'tx-000002' },
    });
  });

  it('HASH_MISMATCH: a row without record text, whatever its stored hash', async () => {
    const rows: AuditRowLike[] = chain(2);
    rows[1] = { ...rows[1]!, record: null as unknown as string, hash: '' };
    await expect(verifyChain(rows)).resolves.toMatchObject({
      first_break: { seq: 2, kind: 'HASH_MISMATCH', message: 'the row has no record text to hash' },
    });
  });

  it('SEQUENCE_GAP: a seq that is not a number', async () => {
    const rows: AuditRowLike[] = chain(2);
    rows[1] = { ...rows[1]!, seq: 'two' };
    await expect(verifyChain(rows)).resolves.toMatchObject({
      first_break: { seq: -1, kind: 'SEQUENCE_GAP', message: 'seq two is not an integer' },
    });
  });

  it('names the transaction from the record when the row has no transaction column', async () => {
    const rows = chain(3).map(({ seq, prev_hash, hash, record }) => ({ seq, prev_hash, hash, record }));
    rows[1] = { ...rows[1]!, hash: '0'.repeat(64) };
    await expect(verifyChain(rows)).resolves.toMatchObject({ first_break: { transaction_id: 'tx-000002' } });
  });

  it('stops reading the stream at the first break', async () => {
    const rows = chain(10);
    rows[2] = { ...rows[2]!, hash: 'f'.repeat(64) };
    let read = 0;
    async function* counting(): AsyncGenerator<AuditRowLike> {
      for (const row of rows) {
        read += 1;
        yield row;
      }
    }
    await verifyChain(counting());
    expect(read).toBe(3);
  });
});
