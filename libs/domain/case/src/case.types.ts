import { CaseEventType, CaseStatus, Disposition, type Channel } from '@argus/contracts';

/**
 * The case's status, its disposition and its event types are those of the `case-events` contract. A snoozed
 * case whose time has come is OPEN again (see `effectiveStatus`); a claim whose time has run out leaves the
 * case OPEN for anyone to take; PENDING_APPROVAL is a disposition waiting for a supervisor.
 */
export { CaseEventType, CaseStatus, Disposition };

export const Role = { ANALYST: 'analyst', SUPERVISOR: 'supervisor', ADMIN: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Who acts: a person with a role, or the system (step-up results, chargebacks, claim expiry). */
export interface Actor {
  readonly id: string;
  readonly role: Role | 'system';
}

export const SYSTEM: Actor = { id: 'system', role: 'system' };

/** One REVIEW or BLOCK decision of the case's card: what opened the case or joined it later. */
export interface CaseAlert {
  readonly transactionId: string;
  /** When the transaction happened (its labels carry it). */
  readonly eventTime: number;
  readonly decidedAt: number;
  readonly outcome: 'REVIEW' | 'BLOCK';
  readonly amountMinor: number;
  readonly currency: string;
  /** Minor-unit exponent of the currency (2 for EUR, 0 for JPY). */
  readonly currencyExponent: number;
  /** The amount in major units of the policy's reference currency (see CasePolicy.exchangeRates). */
  readonly amountAtRisk: number;
  /** No reference rate for the currency: `amountAtRisk` is the amount in its own major units. */
  readonly unconverted: boolean;
  /** The model's calibrated probability of fraud; null when no model took part. */
  readonly probability: number | null;
  readonly score: number | null;
  readonly channel: Channel;
  readonly merchantCountry: string | null;
  /** What the customer's step-up (3-D Secure / OTP) said, when one was asked and answered. */
  readonly stepUp: 'PASSED' | 'FAILED' | null;
  /** A chargeback or another FRAUD label arrived for this transaction. */
  readonly reportedFraud: boolean;
}

export interface PendingDisposition {
  readonly disposition: Disposition;
  readonly reasonCode: string;
  /** The maker: the approval must come from someone else. */
  readonly by: string;
  readonly at: number;
}

/** A card's case: one open case per card; later alerts on the card join it. */
export interface Case {
  readonly id: string;
  readonly cardId: string;
  readonly customerId: string;
  readonly queue: string;
  readonly status: CaseStatus;
  readonly openedAt: number;
  /** When the queue's SLA runs out; an earlier one is kept when a later alert routes to a faster queue. */
  readonly dueAt: number;
  readonly alerts: readonly CaseAlert[];
  readonly assignee: string | null;
  readonly claimExpiresAt: number | null;
  readonly snoozedUntil: number | null;
  readonly escalated: boolean;
  readonly pending: PendingDisposition | null;
  readonly disposition: Disposition | null;
  readonly reasonCode: string | null;
  /** Who made the disposition, and who approved it when it needed a second person. */
  readonly decidedBy: string | null;
  readonly approvedBy: string | null;
  readonly closedAt: number | null;
  /** Bumped by every change: stores update a case only from the version they read. */
  readonly version: number;
}

/** What happened to a case, for the audit chain and `case-events`. */
export interface CaseEvent {
  readonly caseId: string;
  readonly type: CaseEventType;
  readonly actor: string;
  readonly at: number;
  /** The transaction concerned, when there is one (an alert, a step-up, a label). */
  readonly transactionId: string | null;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}
