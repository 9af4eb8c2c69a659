import { createHash } from 'node:crypto';
import { AuditChainError, AuditChainErrorCode } from './audit-chain.errors';
import type { AuditEntryInput } from './audit-chain.types';
import { auditEventKey, chainHash, entryRecord, GENESIS_HASH, linkEntries } from './chain.linker';
import { decisionEntries, decisionEntry, notOkEntries } from './fixtures/audit-entries.fixtures';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describe('linkEntries', () => {
  it('starts an empty chain at seq 1 linked to 64 zeros', () => {
    const [row] = linkEntries(null, [decisionEntry(1)]);
    expect(row!.seq).toBe(1);
    expect(row!.prev_hash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('hashes sha256(prev_hash \\n seq \\n record) in lower-case hex', () => {
    const [row] = linkEntries(null, [decisionEntry(1)]);
    expect(row!.hash).toBe(sha256(`${GENESIS_HASH}\n1\n${row!.record}`));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes the record as canonical JSON of exactly the six entry fields', () => {
    const entry = { ...decisionEntry(3), extra: 'ignored' } as AuditEntryInput;
    const [row] = linkEntries(null, [entry]);
    expect(row!.record).toBe(
      '{"card_id":"card-3","event_type":"DECISION","occurred_at":1741944603000,"payload":{"model_version":null,' +
        '"outcome":"APPROVE","reasons":[{"code":"VELOCITY_1H","detail":"six in one hour","kind":"RULE"}],' +
        '"rule_set_version":"rules-2025.03.1","score":11},"recorded_at":1741944603042,"transaction_id":"tx-000003"}',
    );
    expect(row!.record).toBe(entryRecord(entry));
  });

  it('hashes an event id when the entry has one, and an entry without one exactly as before', () => {
    const entry = decisionEntry(3);
    const plain = entryRecord(entry);
    expect(plain).not.toContain('event_id');
    const [row] = linkEntries(null, [{ ...entry, event_id: 'case-1:7' }]);
    expect(row!.record).toBe(plain.replace('{"card_id":"card-3",', '{"card_id":"card-3","event_id":"case-1:7",'));
    expect(row!.event_id).toBe('case-1:7');
    expect(linkEntries(null, [entry])[0]!.event_id).toBeNull();
  });

  it('keys an event by its id, or by its type and transaction when it has none', () => {
    expect(auditEventKey({ event_type: 'DECISION', transaction_id: 'tx-1' })).toBe('DECISION:tx-1');
    expect(auditEventKey({ event_id: 'e-9', event_type: 'CASE_ACTION', transaction_id: 'tx-1' })).toBe('e-9');
  });

  it('refuses an empty event id', () => {
    expect(() => linkEntries(null, [{ ...decisionEntry(1), event_id: '' }])).toThrow(/event_id, when given/);
  });

  it('copies the entry fields beside the record for the query columns', () => {
    const entry = decisionEntry(4);
    const [row] = linkEntries(null, [entry]);
    expect(row).toMatchObject({
      event_type: 'DECISION',
      transaction_id: entry.transaction_id,
      card_id: entry.card_id,
      occurred_at: entry.occurred_at,
      recorded_at: entry.recorded_at,
    });
  });

  it('numbers rows consecutively and links each to the one before', () => {
    const rows = linkEntries(null, decisionEntries(5));
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i += 1) {
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(rows[i]!.hash).toBe(chainHash(rows[i - 1]!.hash, i + 1, rows[i]!.record));
    }
  });

  it('continues from a head exactly as one long batch would', () => {
    const whole = linkEntries(null, decisionEntries(6));
    const first = linkEntries(null, decisionEntries(4));
    const rest = linkEntries({ seq: 4, hash: first[3]!.hash }, decisionEntries(2, 5));
    expect([...first, ...rest]).toEqual(whole);
  });

  it('returns nothing for no entries', () => {
    expect(linkEntries({ seq: 9, hash: 'a'.repeat(64) }, [])).toEqual([]);
  });

  it('gives a different hash when any field of the entry differs', () => {
    const base = linkEntries(null, [decisionEntry(1)])[0]!.hash;
    const variants: Array<Partial<AuditEntryInput>> = [
      { event_type: 'LABEL' },
      { transaction_id: 'tx-other' },
      { card_id: 'card-other' },
      { occurred_at: decisionEntry(1).occurred_at + 1 },
      { recorded_at: decisionEntry(1).recorded_at + 1 },
      { payload: { outcome: 'BLOCK' } },
    ];
    for (const change of variants) {
      expect(linkEntries(null, [decisionEntry(1, change)])[0]!.hash).not.toBe(base);
    }
  });

  it.each(notOkEntries)('refuses an entry with %s', (_label, entry, message) => {
    let caught: unknown;
    try {
      linkEntries(null, [decisionEntry(1), entry as AuditEntryInput]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditChainError);
    expect([AuditChainErrorCode.INVALID_ENTRY, AuditChainErrorCode.INVALID_VALUE]).toContain(
      (caught as AuditChainError).code,
    );
    expect((caught as AuditChainError).message).toMatch(message);
  });

  it('names the index and transaction of a bad entry', () => {
    expect(() => linkEntries(null, [decisionEntry(1), decisionEntry(2, { card_id: '' })])).toThrow(
      'audit entry 1 (transaction tx-000002): card_id must be a non-empty string',
    );
  });

  it.each([
    [{ seq: 0, hash: 'a'.repeat(64) }],
    [{ seq: 1.5, hash: 'a'.repeat(64) }],
    [{ seq: 3, hash: 'A'.repeat(64) }],
    [{ seq: 3, hash: 'abc' }],
  ])('refuses the head %o', (head) => {
    expect(() => linkEntries(head, [decisionEntry(1)])).toThrow(
      expect.objectContaining({ code: AuditChainErrorCode.INVALID_HEAD }),
    );
  });
});
