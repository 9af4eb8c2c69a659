/** Bounds applied by `normaliseTransaction`; every one has a default and can be overridden per deployment. */
export interface ValidationLimits {
  /** Largest amount accepted, in major units of the transaction's currency. */
  readonly maxAmountMajor: number;
  /** Per-currency overrides of `maxAmountMajor` (e.g. `{ JPY: 150_000_000 }`), keyed by upper-case code. */
  readonly maxAmountMajorByCurrency: Readonly<Record<string, number>>;
  /** How far ahead of `now` an event time may be (clock skew between processor and Argus). */
  readonly maxFutureMinutes: number;
  /** How far behind `now` an event time may be. Raise it to replay old history through ingestion. */
  readonly maxAgeDays: number;
  readonly maxAttributes: number;
  readonly maxAttributeKeyLength: number;
  readonly maxAttributeValueLength: number;
}

/**
 * The default limit is about a million US dollars. Currencies whose unit is worth far less than a dollar get
 * the same order of value in their own units (rounded up generously): otherwise an ordinary payment in dong,
 * yen or rupiah would be refused.
 */
const HIGH_DENOMINATION_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  AMD: 500_000_000,
  ARS: 2_000_000_000,
  BDT: 200_000_000,
  CLP: 1_000_000_000,
  COP: 5_000_000_000,
  CRC: 600_000_000,
  CZK: 50_000_000,
  DZD: 200_000_000,
  EGP: 60_000_000,
  HUF: 500_000_000,
  IDR: 20_000_000_000,
  INR: 100_000_000,
  IQD: 1_500_000_000,
  IRR: 50_000_000_000,
  ISK: 200_000_000,
  JPY: 200_000_000,
  KES: 150_000_000,
  KHR: 5_000_000_000,
  KRW: 2_000_000_000,
  KZT: 600_000_000,
  LAK: 30_000_000_000,
  LBP: 100_000_000_000,
  LKR: 400_000_000,
  MMK: 3_000_000_000,
  MNT: 5_000_000_000,
  MXN: 30_000_000,
  NGN: 2_000_000_000,
  PHP: 100_000_000,
  PKR: 500_000_000,
  PYG: 10_000_000_000,
  RSD: 150_000_000,
  RUB: 150_000_000,
  THB: 50_000_000,
  TRY: 50_000_000,
  TWD: 50_000_000,
  TZS: 3_000_000_000,
  UGX: 5_000_000_000,
  UZS: 15_000_000_000,
  VND: 30_000_000_000,
  XAF: 700_000_000,
  XOF: 700_000_000,
  ZAR: 20_000_000,
});

export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = Object.freeze({
  maxAmountMajor: 1_000_000,
  maxAmountMajorByCurrency: HIGH_DENOMINATION_LIMITS,
  maxFutureMinutes: 5,
  maxAgeDays: 30,
  maxAttributes: 32,
  maxAttributeKeyLength: 64,
  maxAttributeValueLength: 256,
});

/** Defaults with the given overrides; per-currency limits are merged with the default table, not replaced. */
export function resolveLimits(overrides?: Partial<ValidationLimits>): ValidationLimits {
  return {
    ...DEFAULT_VALIDATION_LIMITS,
    ...overrides,
    maxAmountMajorByCurrency: {
      ...DEFAULT_VALIDATION_LIMITS.maxAmountMajorByCurrency,
      ...overrides?.maxAmountMajorByCurrency,
    },
  };
}

/** Maximum lengths of the string fields, in UTF-16 code units. */
export const FIELD_MAX_LENGTH = {
  transaction_id: 128,
  card_id: 128,
  customer_id: 128,
  account_id: 128,
  merchant_id: 128,
  terminal_id: 64,
  device_fingerprint: 256,
  ip_address: 64,
  city: 128,
} as const;
