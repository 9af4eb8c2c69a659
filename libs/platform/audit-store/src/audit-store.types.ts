// These mirror the shapes of @argus/audit-chain, which a platform library may not import: the store only
// moves rows; the application hands it the chain's `linkEntries` and checks what it reads with `verifyChain`.
// TypeScript's structural typing keeps the two in step (the app would not compile otherwise).

/** An event to append. Times are epoch milliseconds. */
export interface AuditEntry {
  /** The event's own id; without one, the event is identified by its type and transaction. */
  readonly event_id?: string;
  readonly event_type: string;
  readonly transaction_id: string;
  readonly card_id: string;
  readonly occurred_at: number;
  readonly recorded_at: number;
  readonly payload: unknown;
}

/** The last row of the chain as recorded in audit_chain_head; null while the chain is empty. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** A row computed by the link function, ready to insert. */
export interface LinkedAuditRow {
  readonly seq: number;
  readonly prev_hash: string;
  readonly hash: string;
  readonly record: string;
  readonly event_id: string | null;
  readonly event_type: string;
  readonly transaction_id: string;
  readonly card_id: string;
  readonly occurred_at: number;
  readonly recorded_at: number;
}

/** Computes the rows for `entries` after `head` (in practice `linkEntries` of @argus/audit-chain). */
export type AuditLinkFn = (head: AuditHead | null, entries: readonly AuditEntry[]) => readonly LinkedAuditRow[];

/** A row as stored; the times come back as epoch milliseconds, exactly as they were hashed. */
export type StoredAuditRow = LinkedAuditRow;

/** A row with its payload parsed, for people reading it (`argus audit show`). */
export interface AuditLogRow extends StoredAuditRow {
  readonly payload: unknown;
}

export interface AppendResult {
  readonly inserted: number;
  /** Entries already in the log, or repeated within the batch, by event key (id, or type and transaction). */
  readonly duplicates: number;
}

export interface ReadChainOptions {
  /** First seq to read (default 1). */
  readonly fromSeq?: number;
  /** Rows fetched per round trip (default 5 000). */
  readonly batchSize?: number;
}

export interface CardRange {
  /** Inclusive lower bound on occurred_at, epoch ms. */
  readonly from?: number;
  /** Exclusive upper bound on occurred_at, epoch ms. */
  readonly to?: number;
  /** Most rows returned, oldest first (default 1 000). */
  readonly limit?: number;
}

export interface LinkedCardsQuery {
  readonly device?: string | null;
  readonly ip?: string | null;
  readonly payee?: string | null;
  /** The case's own card, left out. */
  readonly exceptCard: string;
  /** Epoch ms: only decisions since then. */
  readonly since: number;
  /** Most cards per link (default 20). */
  readonly limit?: number;
}

/** Another card seen on the same device, IP address or payee. */
export interface LinkedCard {
  readonly via: 'DEVICE' | 'IP' | 'PAYEE';
  readonly cardId: string;
  readonly decisions: number;
  /** Of those, how many were REVIEW or BLOCK. */
  readonly alerts: number;
  readonly lastSeen: number;
}
