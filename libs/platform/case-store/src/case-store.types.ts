// Row shapes of the case tables. A platform library may not import the case domain (@argus/case): the
// case pipeline maps its Case to a CaseRow (columns to sort, filter and enforce on, plus the whole case
// as `doc`) and back. Times are epoch milliseconds.

export type CaseRowStatus = 'OPEN' | 'CLAIMED' | 'SNOOZED' | 'PENDING_APPROVAL' | 'CLOSED';

export interface CaseRow {
  readonly id: string;
  readonly cardId: string;
  readonly customerId: string;
  readonly queue: string;
  readonly status: CaseRowStatus;
  readonly openedAt: number;
  readonly dueAt: number;
  readonly assignee: string | null;
  readonly claimExpiresAt: number | null;
  readonly snoozedUntil: number | null;
  readonly escalated: boolean;
  readonly expectedLoss: number;
  readonly amountAtRisk: number;
  readonly alertCount: number;
  readonly maxScore: number | null;
  readonly disposition: string | null;
  readonly reasonCode: string | null;
  readonly decidedBy: string | null;
  readonly approvedBy: string | null;
  readonly pendingBy: string | null;
  readonly closedAt: number | null;
  readonly version: number;
  /** The whole case as the domain holds it. */
  readonly doc: unknown;
}

/** A queue row: the case with its priority at the time of the query. */
export interface QueuedCaseRow extends CaseRow {
  readonly priority: number;
}

export interface CaseAlertRow {
  readonly transactionId: string;
  readonly caseId: string;
  readonly decidedAt: number;
  readonly outcome: 'REVIEW' | 'BLOCK';
  /** The decision as it arrived. */
  readonly decision: unknown;
}

export interface CaseEventRow {
  readonly eventId: string;
  readonly caseId: string;
  readonly type: string;
  readonly actor: string;
  readonly at: number;
  readonly transactionId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** An event as stored: numbered within its case. */
export interface StoredCaseEventRow extends CaseEventRow {
  readonly seq: number;
}

/** A record to publish once the change that produced it has committed. */
export interface OutboxMessage {
  readonly topic: string;
  readonly key: string;
  readonly payload: unknown;
}

export interface PendingOutboxMessage extends OutboxMessage {
  readonly id: number;
  /** Failed deliveries so far (webhooks). */
  readonly attempts: number;
  readonly createdAt: number;
}

/**
 * A change to one case, written in one transaction: the case (inserted when `fromVersion` is null, else
 * updated only if the stored version is still `fromVersion`), the alerts it gained, its events and what to
 * publish.
 */
export interface CaseChange {
  readonly case: CaseRow;
  readonly fromVersion: number | null;
  readonly newAlerts?: readonly CaseAlertRow[];
  readonly events: readonly CaseEventRow[];
  readonly outbox: readonly OutboxMessage[];
}

export type QueueSort = 'priority' | 'due';

export interface QueueQuery {
  /** Queues to read; all when absent. */
  readonly queues?: readonly string[];
  /** Statuses to read (effective at `now`: an expired claim or a snooze that has run out counts as OPEN). */
  readonly statuses?: readonly CaseRowStatus[];
  readonly assignee?: string;
  readonly cardId?: string;
  readonly minExpectedLoss?: number;
  /** Only cases past their SLA. */
  readonly breached?: boolean;
  readonly sort?: QueueSort;
  readonly limit?: number;
  readonly offset?: number;
  readonly now: number;
  /** The policy's SLA weight: priority = expected loss × (1 + slaWeight × share of the SLA used). */
  readonly slaWeight: number;
}

export interface TakeNextQuery {
  readonly queues: readonly string[];
  readonly now: number;
  readonly slaWeight: number;
}

export interface CaseUserRow {
  readonly id: string;
  readonly displayName: string;
  readonly role: 'analyst' | 'supervisor' | 'admin';
  readonly passwordHash: string;
  readonly disabled: boolean;
}
