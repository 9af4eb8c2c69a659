import {
  DEFAULT_STATE_TUNING,
  type EntitySnapshot,
  type LabelOutcome,
  type NormalizedTransaction,
  type StateEvent,
  type StateTuning,
} from '@argus/contracts';
import { FEATURE_NAMES } from '../feature.catalog';
import { computeFeatures } from '../feature.vector';
import { InMemoryFeatureState } from '../in-memory.feature-state';
import { buildStateEvent, type StateEventOptions } from '../state-event.builder';

/**
 * Hand-built transaction histories for the feature specs: a transaction builder with plain defaults and a
 * history that drives the real pipeline (state event → in-memory state → feature vector). Specs only: not
 * exported from the library's entry point.
 */

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Monday 2024-01-01 00:00:00 UTC: a multiple of every bucket resolution (10 s, 1 min, 1 h, 1 day). */
export const T0 = Date.UTC(2024, 0, 1);

/** Decimal places per currency (ISO 4217): USD 2, JPY 0, BHD 3; anything else is unknown (the library assumes 2). */
const EXPONENTS: Readonly<Record<string, number>> = { USD: 2, JPY: 0, BHD: 3 };

export const OPTIONS: StateEventOptions = { currencyExponent: (currency) => EXPONENTS[currency] };

export const NEW_YORK = { lat: 40.7128, lon: -74.006, country: 'US', city: 'New York' } as const;
export const LONDON = { lat: 51.5074, lon: -0.1278, country: 'GB', city: 'London' } as const;

let sequence = 0;

/**
 * A card-present USD 10.00 purchase at T0 by card-1 / cus-1 at mer-1 (MCC 5411, US) on term-1 with dev-1 and no
 * geo; every field can be overridden. Ids are unique unless given.
 */
export function txn(overrides: Partial<NormalizedTransaction> = {}): NormalizedTransaction {
  sequence += 1;
  const eventTime = overrides.event_time ?? T0;
  return {
    transaction_id: `txn-${sequence}`,
    event_time: eventTime,
    ingested_at: eventTime,
    source: 'KAFKA',
    card_id: 'card-1',
    card_bin: null,
    card_last4: null,
    customer_id: 'cus-1',
    account_id: null,
    amount_minor: 1_000,
    currency: 'USD',
    merchant_id: 'mer-1',
    merchant_category_code: '5411',
    merchant_country: 'US',
    terminal_id: 'term-1',
    channel: 'CARD_PRESENT',
    payment_method: 'CARD',
    device_fingerprint: 'dev-1',
    ip_address: null,
    geo: null,
    attributes: {},
    ...overrides,
  };
}

export type Features = Readonly<Record<string, number>>;

/** The feature vector as a record by feature name. */
export function featuresByName(values: readonly number[]): Features {
  if (values.length !== FEATURE_NAMES.length) {
    throw new Error(`expected ${FEATURE_NAMES.length} feature values, got ${values.length}`);
  }
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, values[i]!]));
}

export interface Scored {
  readonly event: StateEvent;
  readonly snapshots: EntitySnapshot[];
  readonly values: number[];
  readonly features: Features;
}

/** One fresh feature state that transactions and labels are applied to in the order the spec calls them. */
export class History {
  readonly store: InMemoryFeatureState;

  constructor(tuning: StateTuning = DEFAULT_STATE_TUNING) {
    this.store = new InMemoryFeatureState(tuning);
  }

  /** Applies a transaction's state event and returns what it was scored with. */
  score(transaction: NormalizedTransaction): Scored {
    const event = buildStateEvent(transaction, OPTIONS);
    return this.scoreEvent(transaction, event);
  }

  /** Applies a given state event (e.g. a redelivery of the same one) for the transaction. */
  scoreEvent(transaction: NormalizedTransaction, event: StateEvent): Scored {
    const snapshots = this.store.applyOne(event);
    const values = computeFeatures(transaction, snapshots, OPTIONS);
    return { event, snapshots, values, features: featuresByName(values) };
  }

  /** Shorthand: the features of one more transaction. */
  add(overrides: Partial<NormalizedTransaction> = {}): Features {
    return this.score(txn(overrides)).features;
  }

  /** Applies each transaction in order; returns the features of the last one. */
  addAll(transactions: readonly NormalizedTransaction[]): Features {
    let last: Features = {};
    for (const transaction of transactions) last = this.score(transaction).features;
    return last;
  }

  /** A FRAUD label on `transactionId` became known at `reportedAt`. */
  label(transactionId: string, reportedAt: number): LabelOutcome {
    return this.store.applyLabel({ transactionId, reportedAt });
  }
}
