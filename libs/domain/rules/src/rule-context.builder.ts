import type { Geo, NormalizedTransaction } from '@argus/contracts';

/**
 * ISO 4217 minor-unit exponents that are not 2. Any currency not listed here uses `defaultExponent`.
 * Pass your own map to `buildRuleContext` to override.
 */
export const DEFAULT_CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
});

const DEFAULT_EXPONENT = 2;

/**
 * Where the cardholder was, as conditions see it (`txn.geo`). Unknown country or city read as "".
 * A class, not a plain object, so the CEL engine recognises the type without converting per call.
 */
export class RuleGeo {
  readonly lat: number;
  readonly lon: number;
  readonly country: string;
  readonly city: string;

  constructor(geo: Geo) {
    this.lat = geo.lat;
    this.lon = geo.lon;
    this.country = geo.country ?? '';
    this.city = geo.city ?? '';
  }
}

/**
 * The transaction as conditions see it (`txn`). Integer fields are CEL `int`s (JavaScript `bigint`);
 * optional text that is absent reads as "" (as an unset proto3 string does in CEL); `geo` is absent
 * when unknown, so guard it with `has(txn.geo)`.
 */
export class RuleTransaction {
  // Never set: makes the type nominal, so a plain object cannot pass for one (the CEL engine would refuse it).
  declare private readonly nominal: never;
  readonly transaction_id: string;
  readonly event_time: bigint;
  readonly ingested_at: bigint;
  readonly source: string;
  readonly card_id: string;
  readonly card_bin: string;
  readonly card_last4: string;
  readonly customer_id: string;
  readonly account_id: string;
  readonly amount_minor: bigint;
  readonly currency: string;
  readonly merchant_id: string;
  readonly merchant_category_code: string;
  readonly merchant_country: string;
  readonly terminal_id: string;
  readonly channel: string;
  readonly payment_method: string;
  readonly device_fingerprint: string;
  readonly ip_address: string;
  readonly geo?: RuleGeo;
  readonly attributes: Readonly<Record<string, string>>;
  /** Derived: amount in major units (amount_minor / 10^currency_exponent). */
  readonly amount_major: number;
  readonly currency_exponent: bigint;
  /** Derived from event_time: 0–23. */
  readonly hour_of_day_utc: bigint;
  /** Derived from event_time: 0 = Sunday … 6 = Saturday. */
  readonly day_of_week_utc: bigint;

  constructor(txn: NormalizedTransaction, exponent: number) {
    const eventTime = new Date(txn.event_time);
    this.transaction_id = txn.transaction_id;
    this.event_time = BigInt(txn.event_time);
    this.ingested_at = BigInt(txn.ingested_at);
    this.source = txn.source;
    this.card_id = txn.card_id;
    this.card_bin = txn.card_bin ?? '';
    this.card_last4 = txn.card_last4 ?? '';
    this.customer_id = txn.customer_id;
    this.account_id = txn.account_id ?? '';
    this.amount_minor = BigInt(txn.amount_minor);
    this.currency = txn.currency;
    this.merchant_id = txn.merchant_id;
    this.merchant_category_code = txn.merchant_category_code ?? '';
    this.merchant_country = txn.merchant_country ?? '';
    this.terminal_id = txn.terminal_id ?? '';
    this.channel = txn.channel;
    this.payment_method = txn.payment_method;
    this.device_fingerprint = txn.device_fingerprint ?? '';
    this.ip_address = txn.ip_address ?? '';
    if (txn.geo !== null) this.geo = new RuleGeo(txn.geo);
    this.attributes = txn.attributes;
    this.amount_major = txn.amount_minor / 10 ** exponent;
    this.currency_exponent = BigInt(exponent);
    this.hour_of_day_utc = BigInt(eventTime.getUTCHours());
    this.day_of_week_utc = BigInt(eventTime.getUTCDay());
  }
}

/** CEL types of the `txn` fields, for the type checker (kept in step with RuleTransaction). */
export const RULE_TRANSACTION_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  transaction_id: 'string',
  event_time: 'int',
  ingested_at: 'int',
  source: 'string',
  card_id: 'string',
  card_bin: 'string',
  card_last4: 'string',
  customer_id: 'string',
  account_id: 'string',
  amount_minor: 'int',
  currency: 'string',
  merchant_id: 'string',
  merchant_category_code: 'string',
  merchant_country: 'string',
  terminal_id: 'string',
  channel: 'string',
  payment_method: 'string',
  device_fingerprint: 'string',
  ip_address: 'string',
  geo: 'RuleGeo',
  attributes: 'map<string, string>',
  amount_major: 'double',
  currency_exponent: 'int',
  hour_of_day_utc: 'int',
  day_of_week_utc: 'int',
});

export const RULE_GEO_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  lat: 'double',
  lon: 'double',
  country: 'string',
  city: 'string',
});

/** What the conditions of a rule set are evaluated against: `txn`, `features`, `score` (and the set's `lists`). */
export interface RuleContext {
  readonly txn: RuleTransaction;
  /** Behavioural features by name; a condition reading one that is absent fails (recorded, not thrown). */
  readonly features: Readonly<Record<string, number>>;
  /** Model score 0–100 when one is known at rule time, else null. */
  readonly score: number | null;
}

export interface RuleContextExtras {
  readonly features?: Readonly<Record<string, number>>;
  readonly score?: number | null;
  /** Minor-unit exponent per currency; defaults to DEFAULT_CURRENCY_EXPONENTS. */
  readonly currencyExponents?: Readonly<Record<string, number>>;
  /** Exponent for a currency missing from the map. Default 2. */
  readonly defaultExponent?: number;
}

const NO_FEATURES: Readonly<Record<string, number>> = Object.freeze({});

export function buildRuleContext(txn: NormalizedTransaction, extras: RuleContextExtras = {}): RuleContext {
  const exponents = extras.currencyExponents ?? DEFAULT_CURRENCY_EXPONENTS;
  const exponent = exponents[txn.currency] ?? extras.defaultExponent ?? DEFAULT_EXPONENT;
  return {
    txn: new RuleTransaction(txn, exponent),
    features: extras.features ?? NO_FEATURES,
    score: extras.score ?? null,
  };
}
