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

export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = Object.freeze({
  maxAmountMajor: 1_000_000,
  maxAmountMajorByCurrency: Object.freeze({}),
  maxFutureMinutes: 5,
  maxAgeDays: 30,
  maxAttributes: 32,
  maxAttributeKeyLength: 64,
  maxAttributeValueLength: 256,
});

export function resolveLimits(overrides?: Partial<ValidationLimits>): ValidationLimits {
  return { ...DEFAULT_VALIDATION_LIMITS, ...overrides };
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
