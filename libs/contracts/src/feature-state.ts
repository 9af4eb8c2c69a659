/**
 * The protocol between the feature library (`@argus/features`, pure: what to remember and how to turn it into
 * features) and the feature state stores (`@argus/feature-state`: Redis live, in memory for backfill). Both
 * stores implement exactly these semantics; the parity tests hold them to it.
 *
 * Stores do integer arithmetic and keep opaque strings only. Every floating-point computation (distances,
 * ratios, logarithms, bins) happens in the feature library, once, so live and backfill cannot drift apart.
 */

/** Kinds of entity that keep behavioural state. One state key per (kind, id): one Redis Cluster slot. */
export const EntityKind = {
  CARD: 'card',
  CUSTOMER: 'customer',
  DEVICE: 'device',
  MERCHANT: 'merchant',
  TERMINAL: 'terminal',
  PAYEE: 'payee',
} as const;
export type EntityKind = (typeof EntityKind)[keyof typeof EntityKind];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A sliding window over time buckets. The window of an event at time t covers the `buckets` buckets of
 * `resolutionMs` ending with (and including) the bucket of t: its true look-back lies between
 * `buckets - 1` and `buckets` resolutions.
 */
export interface WindowSpec {
  readonly name: string;
  readonly resolutionMs: number;
  readonly buckets: number;
}

/** Velocity windows, in output order. */
export const VELOCITY_WINDOWS: readonly WindowSpec[] = [
  { name: '1m', resolutionMs: 10 * SECOND, buckets: 6 },
  { name: '5m', resolutionMs: MINUTE, buckets: 5 },
  { name: '15m', resolutionMs: MINUTE, buckets: 15 },
  { name: '1h', resolutionMs: MINUTE, buckets: 60 },
  { name: '1d', resolutionMs: HOUR, buckets: 24 },
  { name: '7d', resolutionMs: DAY, buckets: 7 },
  { name: '30d', resolutionMs: DAY, buckets: 30 },
];

/** Windows over which FRAUD labels are counted, by the day the label became known. */
export const LABEL_WINDOWS: readonly WindowSpec[] = [
  { name: '1d', resolutionMs: DAY, buckets: 1 },
  { name: '7d', resolutionMs: DAY, buckets: 7 },
  { name: '30d', resolutionMs: DAY, buckets: 30 },
];

/** The bucket resolutions the velocity windows need; each event increments one bucket of each. */
export const VELOCITY_RESOLUTIONS_MS: readonly number[] = [...new Set(VELOCITY_WINDOWS.map((w) => w.resolutionMs))];

export interface StateTuning {
  /**
   * How far out of order (event time) an event may arrive and still see complete windows: buckets are
   * pruned only once they are older than the longest window of their resolution plus this tolerance.
   */
  readonly outOfOrderToleranceMs: number;
  /** How long a transaction id is remembered per entity, so a redelivery is not counted twice. */
  readonly dedupHorizonMs: number;
  /** An entity with no event for this long (event time) is forgotten: novelty and history start again. */
  readonly idleTtlMs: number;
  /** How long a transaction stays in the index that lets a late label find its merchant, terminal, device. */
  readonly transactionIndexTtlMs: number;
}

export const DEFAULT_STATE_TUNING: StateTuning = {
  outOfOrderToleranceMs: 10 * MINUTE,
  dedupHorizonMs: HOUR,
  idleTtlMs: 90 * DAY,
  transactionIndexTtlMs: 120 * DAY,
};

/** Distinct members seen within windows (e.g. distinct merchants per card in the last 10 minutes). */
export interface DistinctRequest {
  readonly dimension: string;
  readonly member: string;
  /** Look-back of each count, in ms: a member counts when last seen at or after `t - window`. */
  readonly windowsMs: readonly number[];
}

/** Counts by category (hour of day, MCC, amount bin, geo cell) kept for as long as the entity lives. */
export interface HistogramRequest {
  readonly name: string;
  readonly bin: string;
}

/** Integer moments (count, sum, sum of squares) of a quantity, e.g. a quantised log amount. */
export interface MomentsRequest {
  readonly name: string;
  readonly value: number;
}

/** What one transaction does to one entity's state, and what it wants back. */
export interface EntityUpdate {
  readonly kind: EntityKind;
  readonly id: string;
  /** Amount in units of 1/10 000 of a major currency unit: an exact integer for every ISO 4217 currency. */
  readonly amountUnits: number;
  /** The transaction counts as a small amount (card testing). */
  readonly small: boolean;
  readonly distinct?: readonly DistinctRequest[];
  /** First-time checks, e.g. `merchant` → merchant id: "is this the first time for this entity?" */
  readonly novelty?: readonly { readonly dimension: string; readonly value: string }[];
  /** Remember this event as the latest (time and an opaque location), return the previous one. */
  readonly previous?: { readonly location: string | null };
  readonly histograms?: readonly HistogramRequest[];
  readonly moments?: readonly MomentsRequest[];
  /** Return FRAUD label counts over LABEL_WINDOWS. */
  readonly labels?: boolean;
}

export interface EntityRef {
  readonly kind: EntityKind;
  readonly id: string;
}

export interface StateEvent {
  readonly transactionId: string;
  readonly eventTime: number;
  readonly entities: readonly EntityUpdate[];
  /** Entities a later FRAUD label on this transaction counts against (remembered in the transaction index). */
  readonly labelTargets: readonly EntityRef[];
}

export interface VelocityAggregate {
  readonly count: number;
  readonly sumUnits: number;
  readonly smallCount: number;
}

export interface PreviousEvent {
  readonly time: number;
  /** Time and location of the latest event that had a location. */
  readonly locatedTime: number | null;
  readonly location: string | null;
}

export interface Moments {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/**
 * One entity's state as seen by this transaction. Velocity and distinct counts include the transaction;
 * novelty, first seen, previous, histograms and moments are as they were before it.
 */
export interface EntitySnapshot {
  readonly kind: EntityKind;
  readonly id: string;
  /** This transaction id was already applied to this entity (a redelivery): nothing was changed. */
  readonly duplicate: boolean;
  /** In VELOCITY_WINDOWS order. */
  readonly velocity: readonly VelocityAggregate[];
  /** Per distinct request, one count per window. */
  readonly distinct: readonly (readonly number[])[];
  /** Per novelty request: never seen before. */
  readonly novel: readonly boolean[];
  /** Event time of the entity's first event (this one when it is new). */
  readonly firstSeen: number;
  readonly previous: PreviousEvent | null;
  readonly histograms: readonly Readonly<Record<string, number>>[];
  readonly moments: readonly Moments[];
  /** FRAUD labels known so far, in LABEL_WINDOWS order (empty unless requested). */
  readonly fraudLabels: readonly number[];
}

/** A FRAUD label became known at `reportedAt`: it counts against the transaction's label targets from then on. */
export interface FraudLabelEvent {
  readonly transactionId: string;
  readonly reportedAt: number;
}

/** What happened to a label. */
export const LabelOutcome = {
  COUNTED: 'COUNTED',
  /** The transaction already had a FRAUD label counted. */
  ALREADY_COUNTED: 'ALREADY_COUNTED',
  /** The transaction is not in the index (never seen, or older than the index keeps). */
  UNKNOWN_TRANSACTION: 'UNKNOWN_TRANSACTION',
} as const;
export type LabelOutcome = (typeof LabelOutcome)[keyof typeof LabelOutcome];

export interface FeatureStateStore {
  /** Applies each event in order and returns, per event, one snapshot per entity update (same order). */
  apply(events: readonly StateEvent[]): Promise<EntitySnapshot[][]>;
  /** Counts FRAUD labels in order, each transaction at most once, against its remembered label targets. */
  applyFraudLabels(labels: readonly FraudLabelEvent[]): Promise<LabelOutcome[]>;
}
