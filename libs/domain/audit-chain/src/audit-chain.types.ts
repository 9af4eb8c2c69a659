/** Known event types; others are allowed so that new producers need no change here. */
export type AuditEventType = 'DECISION' | 'CASE_ACTION' | 'LABEL' | (string & {});

/** What a service hands to the audit log. Times are epoch milliseconds. */
export interface AuditEntryInput {
  /**
   * The event's own id, for events of which a transaction has many (case actions). Left out, the event is
   * identified by its type and transaction (one DECISION per transaction); either way a redelivered event is
   * recognised by its key (`auditEventKey`) and never logged twice. Hashed with the rest when present.
   */
  readonly event_id?: string;
  readonly event_type: AuditEventType;
  readonly transaction_id: string;
  readonly card_id: string;
  /** When the audited thing happened (the decision time, the analyst's click). */
  readonly occurred_at: number;
  /** When the audit service received it. */
  readonly recorded_at: number;
  /** The event itself (a Decision, a case action, a Label); written as canonical JSON. */
  readonly payload: unknown;
}

/** The last row of a chain: the next row links to `hash` and takes `seq + 1`. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** One linked row, ready to insert. `record` is what is hashed; the other entry fields are copies for queries. */
export interface AuditRow {
  readonly seq: number;
  readonly prev_hash: string;
  readonly hash: string;
  /** Canonical JSON of the entry's fields (six, or seven with an event id). */
  readonly record: string;
  /** The entry's own id; null for an event identified by its type and transaction. */
  readonly event_id: string | null;
  readonly event_type: string;
  readonly transaction_id: string;
  readonly card_id: string;
  readonly occurred_at: number;
  readonly recorded_at: number;
}

/**
 * A row as read back from storage. Only `seq`, `prev_hash`, `hash` and `record` are needed; the copied
 * columns, when present, are checked against the record.
 */
export interface AuditRowLike {
  readonly seq: number | string | bigint;
  readonly prev_hash: string;
  readonly hash: string;
  readonly record: string;
  readonly event_id?: string | null;
  readonly event_type?: string;
  readonly transaction_id?: string;
  readonly card_id?: string;
  readonly occurred_at?: number | Date;
  readonly recorded_at?: number | Date;
}

export type ChainBreakKind = 'HASH_MISMATCH' | 'BROKEN_LINK' | 'SEQUENCE_GAP' | 'RECORD_MISMATCH';

export interface ChainBreak {
  /** The seq of the row where the break was found (for a truncated tail, the seq the head says should exist). */
  readonly seq: number;
  /** The transaction of that row, or null when there is no row to name. */
  readonly transaction_id: string | null;
  readonly kind: ChainBreakKind;
  readonly message: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly rows: number; readonly head: ChainHead | null }
  | { readonly ok: false; readonly rows_checked: number; readonly first_break: ChainBreak };

export interface VerifyOptions {
  /** Start after this anchor instead of at genesis: the sealed last row of a segment that was archived. */
  readonly after?: ChainHead;
  /**
   * The head recorded beside the chain (audit_chain_head). The walk must pass through its seq with its
   * hash; rows appended after it was read are fine. Catches rows removed from the end of the chain.
   */
  readonly expectHead?: ChainHead | null;
}
