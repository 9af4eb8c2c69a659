import type { Rng, WeightedTable } from '../random/seeded.random';

/** A point with the names a transaction's `geo` carries. */
export interface Place {
  readonly lat: number;
  readonly lon: number;
  readonly country: string;
  readonly city: string;
  /** Standard UTC offset of the place, hours. */
  readonly utcOffset: number;
}

export interface Card {
  readonly index: number;
  readonly id: string;
  /** Luhn-valid test number, written only with `withPan`. */
  readonly pan: string;
}

export interface Device {
  readonly fingerprint: string;
  readonly ip: string;
}

export interface Merchant {
  readonly index: number;
  readonly id: string;
  readonly mcc: string;
  readonly country: string;
  readonly currency: string;
  /** Card-present merchants: where the shop is and its terminal ids. Online merchants: null and []. */
  readonly place: Place | null;
  readonly terminals: readonly string[];
  readonly popularity: number;
}

/** An account that receives transfers: another customer's, a landlord's, or a mule's — all alike. */
export interface ReceivingAccount {
  readonly id: string;
  readonly country: string;
}

/** Merchants an entity picks from, with the weights it picks them by. */
export interface MerchantChoice {
  readonly merchants: readonly number[];
  readonly table: WeightedTable;
}

/** A trip away from home: no transactions while flying (`depart`→`arrive`, `leave`→`back`). */
export interface Trip {
  readonly depart: number;
  readonly arrive: number;
  readonly leave: number;
  readonly back: number;
  readonly place: Place;
  readonly cityIndex: number;
}

export type LegitKind = 'store' | 'online' | 'mobile' | 'atm' | 'transfer';
export const LEGIT_KINDS: readonly LegitKind[] = ['store', 'online', 'mobile', 'atm', 'transfer'];

/**
 * A customer and their habits. The profile fields are mutable only while scenarios are planned (a synthetic
 * identity rewrites its own); during the run only `rng` advances.
 */
export interface Customer {
  readonly index: number;
  readonly id: string;
  readonly accountId: string;
  readonly home: Place;
  readonly homeCity: number;
  readonly currency: string;
  readonly cards: readonly Card[];
  /** The first device is the phone (in-app payments); the others are computers and tablets. */
  readonly devices: readonly Device[];
  /** Transactions per day on average. */
  dailyRate: number;
  /** Typical amount: log-normal with this median (US dollar equivalent) and log-scale spread. */
  medianUsd: number;
  amountSigma: number;
  /** Weight of each local hour of the day, the largest being 1. */
  readonly hourWeights: Float64Array;
  readonly hourWeightMean: number;
  /** How often each of LEGIT_KINDS is chosen. */
  readonly kindTable: WeightedTable;
  readonly everydayMccs: readonly string[];
  readonly stores: MerchantChoice;
  readonly online: MerchantChoice;
  readonly mobile: MerchantChoice;
  readonly atms: readonly number[];
  readonly payees: readonly ReceivingAccount[];
  /** Scenario of this customer's own transactions: `baseline`, or `synthetic_identity` for a fake one. */
  tag: 'baseline' | 'synthetic_identity';
  /** No own transactions from this time on (a synthetic identity after its bust-out). */
  closedAt: number;
  trip: Trip | null;
  readonly rng: Rng;
}

/** A fraud ring: where it operates from, the devices it uses on every victim, where it moves money to. */
export interface FraudRing {
  readonly index: number;
  readonly place: Place;
  readonly devices: readonly Device[];
  readonly muleAccounts: readonly ReceivingAccount[];
}

export interface MerchantUniverse {
  readonly merchants: readonly Merchant[];
  /** Card-present merchants by `${cityIndex}:${mcc}`. */
  readonly stores: ReadonlyMap<string, MerchantChoice>;
  readonly atmsByCity: ReadonlyArray<readonly number[]>;
  /** Online merchants by country, and by category. */
  readonly onlineByCountry: ReadonlyMap<string, MerchantChoice>;
  readonly onlineByMcc: ReadonlyMap<string, MerchantChoice>;
}

export interface World {
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly customers: readonly Customer[];
  readonly merchants: MerchantUniverse;
  readonly rings: readonly FraudRing[];
  /** Accounts recruited as money mules inside each home market, by country. */
  readonly mulesByCountry: ReadonlyMap<string, readonly ReceivingAccount[]>;
  readonly cityPlaces: readonly Place[];
}
