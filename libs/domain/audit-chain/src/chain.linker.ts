import { createHash } from 'node:crypto';
import { AuditChainError, AuditChainErrorCode } from './audit-chain.errors';
import type { AuditEntryInput, AuditRow, ChainHead } from './audit-chain.types';
import { canonicalJson } from './canonical-json.serializer';

/** The prev_hash of the first row (seq 1). */
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

/** sha256(prev_hash + "\n" + seq + "\n" + record), lower-case hex. */
export function chainHash(prevHash: string, seq: number, record: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${record}`, 'utf8').digest('hex');
}

/** What identifies an event in the log: its own id, or else its type and transaction. */
export function auditEventKey(entry: Pick<AuditEntryInput, 'event_id' | 'event_type' | 'transaction_id'>): string {
  return entry.event_id ?? `${entry.event_type}:${entry.transaction_id}`;
}

/**
 * The hashed form of an entry: canonical JSON of exactly its six fields, and its event id when it has one
 * (anything else on the object is ignored). Entries without an id hash as they always did.
 */
export function entryRecord(entry: AuditEntryInput): string {
  return canonicalJson({
    event_id: entry.event_id,
    event_type: entry.event_type,
    transaction_id: entry.transaction_id,
    card_id: entry.card_id,
    occurred_at: entry.occurred_at,
    recorded_at: entry.recorded_at,
    payload: entry.payload,
  });
}

/**
 * Links entries onto the chain after `head` (null for an empty chain): consecutive seqs, each row's
 * prev_hash the hash of the row before, genesis linking to 64 zeros. Pure: the caller stores the rows
 * and moves its head to the last one, under a lock that keeps other appenders out meanwhile.
 */
export function linkEntries(head: ChainHead | null, entries: readonly AuditEntryInput[]): AuditRow[] {
  assertHead(head);
  let seq = head === null ? 0 : head.seq;
  let prevHash = head === null ? GENESIS_HASH : head.hash;
  return entries.map((entry, index) => {
    assertEntry(entry, index);
    seq += 1;
    const record = entryRecord(entry);
    const hash = chainHash(prevHash, seq, record);
    const row: AuditRow = {
      seq,
      prev_hash: prevHash,
      hash,
      record,
      event_id: entry.event_id ?? null,
      event_type: entry.event_type,
      transaction_id: entry.transaction_id,
      card_id: entry.card_id,
      occurred_at: entry.occurred_at,
      recorded_at: entry.recorded_at,
    };
    prevHash = hash;
    return row;
  });
}

function assertHead(head: ChainHead | null): void {
  if (head === null) return;
  if (!Number.isSafeInteger(head.seq) || head.seq < 1) {
    throw new AuditChainError(AuditChainErrorCode.INVALID_HEAD, `head seq must be a positive integer, got ${head.seq}`);
  }
  if (typeof head.hash !== 'string' || !HEX64.test(head.hash)) {
    throw new AuditChainError(AuditChainErrorCode.INVALID_HEAD, `head hash must be 64 lower-case hex digits`);
  }
}

function assertEntry(entry: AuditEntryInput, index: number): void {
  const problem = entryProblem(entry);
  if (problem !== undefined) {
    const id = typeof entry?.transaction_id === 'string' ? ` (transaction ${entry.transaction_id})` : '';
    throw new AuditChainError(AuditChainErrorCode.INVALID_ENTRY, `audit entry ${index}${id}: ${problem}`);
  }
}

function entryProblem(entry: AuditEntryInput): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'is not an object';
  if (entry.event_id !== undefined && (typeof entry.event_id !== 'string' || entry.event_id === ''))
    return 'event_id, when given, must be a non-empty string';
  for (const field of ['event_type', 'transaction_id', 'card_id'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') return `${field} must be a non-empty string`;
  }
  for (const field of ['occurred_at', 'recorded_at'] as const) {
    // Whole milliseconds keep the timestamptz columns exact copies of the hashed numbers.
    if (!Number.isSafeInteger(entry[field]) || entry[field] < 0) {
      return `${field} must be epoch milliseconds (a non-negative integer), got ${String(entry[field])}`;
    }
  }
  if (entry.payload === undefined) return 'payload is missing (use null for an event without one)';
  return undefined;
}
