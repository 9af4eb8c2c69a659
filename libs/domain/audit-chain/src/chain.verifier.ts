import type {
  AuditRowLike,
  ChainBreak,
  ChainBreakKind,
  ChainHead,
  VerifyOptions,
  VerifyResult,
} from './audit-chain.types';
import { chainHash, GENESIS_HASH } from './chain.linker';

/** Where the walk stands: the row it expects next. */
interface Cursor {
  expectedSeq: number;
  prevHash: string;
}

/**
 * Walks rows in seq order and returns the first break, or the head when every row holds. Holds one row at
 * a time, so memory stays constant however long the chain. Per row, in this order: the seq is the next one
 * (SEQUENCE_GAP: deleted, duplicated or reordered rows), prev_hash is the previous row's hash (BROKEN_LINK:
 * a row inserted, replaced or re-hashed before it), the hash recomputes (HASH_MISMATCH: the row was
 * modified), and the query columns agree with the hashed record (RECORD_MISMATCH).
 */
export async function verifyChain(
  rows: AsyncIterable<AuditRowLike> | Iterable<AuditRowLike>,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const cursor: Cursor = {
    expectedSeq: options.after === undefined ? 1 : options.after.seq + 1,
    prevHash: options.after === undefined ? GENESIS_HASH : options.after.hash,
  };
  const expectHead = options.expectHead ?? null;
  let count = 0;
  let head: ChainHead | null = options.after ?? null;
  for await (const row of rows) {
    count += 1;
    const found = checkRow(row, cursor) ?? checkHead(row, expectHead);
    if (found !== undefined) return { ok: false, rows_checked: count, first_break: found };
    head = { seq: cursor.expectedSeq, hash: row.hash };
    cursor.expectedSeq += 1;
    cursor.prevHash = row.hash;
  }
  if (expectHead !== null && expectHead.seq >= cursor.expectedSeq) {
    const last = cursor.expectedSeq - 1;
    return {
      ok: false,
      rows_checked: count,
      first_break: {
        seq: last + 1,
        transaction_id: null,
        kind: 'SEQUENCE_GAP',
        message: `the chain ends at seq ${last} but its head records seq ${expectHead.seq}: rows ${last + 1}–${expectHead.seq} are missing`,
      },
    };
  }
  return { ok: true, rows: count, head };
}

function checkRow(row: AuditRowLike, cursor: Cursor): ChainBreak | undefined {
  const seq = Number(row.seq);
  if (!Number.isSafeInteger(seq) || seq !== cursor.expectedSeq) {
    const message = !Number.isSafeInteger(seq)
      ? `seq ${String(row.seq)} is not an integer`
      : seq > cursor.expectedSeq
        ? `expected seq ${cursor.expectedSeq} but found ${seq}: ${seq - cursor.expectedSeq} row(s) missing`
        : `seq ${seq} comes after seq ${cursor.expectedSeq - 1}: a duplicated or reordered row`;
    return breakAt(row, 'SEQUENCE_GAP', message);
  }
  if (row.prev_hash !== cursor.prevHash) {
    const before = seq === 1 ? 'genesis (64 zeros)' : `seq ${seq - 1} (${short(cursor.prevHash)})`;
    return breakAt(
      row,
      'BROKEN_LINK',
      `prev_hash ${short(row.prev_hash)} is not the hash of ${before}: a row was inserted, replaced or re-hashed`,
    );
  }
  if (typeof row.record !== 'string') return breakAt(row, 'HASH_MISMATCH', 'the row has no record text to hash');
  const recomputed = chainHash(row.prev_hash, seq, row.record);
  if (recomputed !== row.hash) {
    return breakAt(
      row,
      'HASH_MISMATCH',
      `stored hash ${short(row.hash)} but the row hashes to ${short(recomputed)}: its record was modified`,
    );
  }
  const mismatch = recordMismatch(row);
  return mismatch === undefined ? undefined : breakAt(row, 'RECORD_MISMATCH', mismatch);
}

function checkHead(row: AuditRowLike, expectHead: ChainHead | null): ChainBreak | undefined {
  if (expectHead === null || Number(row.seq) !== expectHead.seq || row.hash === expectHead.hash) return undefined;
  return breakAt(
    row,
    'BROKEN_LINK',
    `the chain head records hash ${short(expectHead.hash)} for seq ${expectHead.seq} but the row has ${short(row.hash)}`,
  );
}

const TEXT_FIELDS = ['event_type', 'transaction_id', 'card_id'] as const;
const TIME_FIELDS = ['occurred_at', 'recorded_at'] as const;

/** The columns are unhashed copies for indexing; an edit there alone would mislead every query. */
function recordMismatch(row: AuditRowLike): string | undefined {
  return columnsFrameRecord(row) ? undefined : parsedMismatch(row);
}

/**
 * The fast path (the walk spends most of its time here otherwise): a record written by linkEntries is
 * canonical, so its keys come in a known order and the columns must appear verbatim around the payload.
 * When this does not hold, parsing decides (and a record merely written in another key order passes).
 */
function columnsFrameRecord(row: AuditRowLike): boolean {
  const { card_id: cardId, event_type: eventType, transaction_id: transactionId } = row;
  const occurredAt = millisOf(row.occurred_at);
  const recordedAt = millisOf(row.recorded_at);
  if (
    cardId === undefined ||
    eventType === undefined ||
    transactionId === undefined ||
    occurredAt === undefined ||
    recordedAt === undefined
  ) {
    return false;
  }
  // An event id, when the row has one, sorts between card_id and event_type.
  const eventId = typeof row.event_id === 'string' ? `"event_id":${JSON.stringify(row.event_id)},` : '';
  const head = `{"card_id":${JSON.stringify(cardId)},${eventId}"event_type":${JSON.stringify(eventType)},"occurred_at":${occurredAt},"payload":`;
  const tail = `,"recorded_at":${recordedAt},"transaction_id":${JSON.stringify(transactionId)}}`;
  return row.record.startsWith(head) && row.record.endsWith(tail);
}

function millisOf(value: number | Date | undefined): number | undefined {
  return value instanceof Date ? value.getTime() : value;
}

function parsedMismatch(row: AuditRowLike): string | undefined {
  const record = parseRecord(row.record);
  if (record === undefined) return 'the record is not a JSON object';
  for (const field of TEXT_FIELDS) {
    const column = row[field];
    if (column !== undefined && column !== record[field]) {
      return `column ${field} is ${JSON.stringify(column)} but the record says ${JSON.stringify(record[field])}`;
    }
  }
  if (row.event_id !== undefined && (row.event_id ?? undefined) !== record['event_id']) {
    return `column event_id is ${JSON.stringify(row.event_id)} but the record says ${JSON.stringify(record['event_id'] ?? null)}`;
  }
  for (const field of TIME_FIELDS) {
    const millis = millisOf(row[field]);
    if (millis !== undefined && millis !== record[field]) {
      return `column ${field} is ${millis} but the record says ${JSON.stringify(record[field])}`;
    }
  }
  return undefined;
}

function parseRecord(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function breakAt(row: AuditRowLike, kind: ChainBreakKind, message: string): ChainBreak {
  const seq = Number(row.seq);
  return { seq: Number.isSafeInteger(seq) ? seq : -1, transaction_id: transactionOf(row), kind, message };
}

function transactionOf(row: AuditRowLike): string | null {
  if (typeof row.transaction_id === 'string') return row.transaction_id;
  const id = typeof row.record === 'string' ? parseRecord(row.record)?.['transaction_id'] : undefined;
  return typeof id === 'string' ? id : null;
}

function short(hash: string): string {
  return typeof hash === 'string' && hash.length > 12 ? `${hash.slice(0, 12)}…` : String(hash);
}
