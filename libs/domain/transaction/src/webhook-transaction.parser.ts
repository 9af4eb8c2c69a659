import { Channel, PaymentMethod, type Geo, type Transaction } from '@argus/contracts';
import { decimalToMinorUnits } from './decimal-amount.converter';
import { parseIsoInstant } from './iso-instant.parser';
import { currencyExponent } from './reference/currency.registry';
import { FieldErrorCode, FieldErrorList, TransactionValidationError } from './transaction.errors';

type JsonObject = Record<string, unknown>;

/** Fields a webhook body may carry: the Transaction fields, plus `amount` in major units. */
export const WEBHOOK_BODY_FIELDS: ReadonlySet<string> = new Set([
  'transaction_id',
  'event_time',
  'card_id',
  'pan',
  'customer_id',
  'account_id',
  'amount_minor',
  'amount',
  'currency',
  'merchant_id',
  'merchant_category_code',
  'merchant_country',
  'terminal_id',
  'channel',
  'payment_method',
  'device_fingerprint',
  'ip_address',
  'geo',
  'attributes',
]);
const GEO_FIELDS: ReadonlySet<string> = new Set(['lat', 'lon', 'country', 'city']);

const CHANNELS: ReadonlySet<string> = new Set(Object.values(Channel));
const PAYMENT_METHODS: ReadonlySet<string> = new Set(Object.values(PaymentMethod));

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * Turns an untrusted JSON webhook body into a `Transaction`, ready for `normaliseTransaction`. Accepts
 * `event_time` as epoch millis or an ISO-8601 string with an offset, and the amount either as integer
 * `amount_minor` or as a decimal `amount` in major units of `currency`. Missing `channel` / `payment_method`
 * take the Avro defaults (UNKNOWN / OTHER). Throws `TransactionValidationError` naming every bad field;
 * no message repeats a submitted value.
 */
export function parseWebhookTransaction(body: unknown): Transaction {
  const errors = new FieldErrorList();
  if (!isObject(body)) {
    errors.add('body', FieldErrorCode.INVALID_FORMAT, 'must be a JSON object');
    throw new TransactionValidationError(errors.errors);
  }
  for (const key of Object.keys(body)) {
    if (!WEBHOOK_BODY_FIELDS.has(key)) errors.add(key, FieldErrorCode.INVALID_FORMAT, 'is not a known field');
  }
  const str = (field: string, required: boolean): string | null => readString(errors, body, field, required);

  const transaction: Transaction = {
    transaction_id: str('transaction_id', true) ?? '',
    event_time: readEventTime(errors, body.event_time) ?? 0,
    card_id: str('card_id', false),
    pan: str('pan', false),
    customer_id: str('customer_id', true) ?? '',
    account_id: str('account_id', false),
    amount_minor: 0,
    currency: str('currency', true) ?? '',
    merchant_id: str('merchant_id', true) ?? '',
    merchant_category_code: str('merchant_category_code', false),
    merchant_country: str('merchant_country', false),
    terminal_id: str('terminal_id', false),
    channel: (readEnum(errors, body, 'channel', CHANNELS) ?? Channel.UNKNOWN) as Channel,
    payment_method: (readEnum(errors, body, 'payment_method', PAYMENT_METHODS) ?? PaymentMethod.OTHER) as PaymentMethod,
    device_fingerprint: str('device_fingerprint', false),
    ip_address: str('ip_address', false),
    geo: readGeo(errors, body.geo),
    attributes: readAttributes(errors, body.attributes),
  };
  transaction.amount_minor = readAmount(errors, body, transaction.currency) ?? 0;

  if (!errors.isEmpty) {
    throw new TransactionValidationError(errors.errors, {
      transactionId: transaction.transaction_id === '' ? null : transaction.transaction_id,
    });
  }
  return transaction;
}

function readString(errors: FieldErrorList, body: JsonObject, field: string, required: boolean): string | null {
  const value = body[field];
  if (isAbsent(value)) {
    if (required) errors.add(field, FieldErrorCode.MISSING_FIELD, 'is required');
    return null;
  }
  if (typeof value !== 'string') {
    errors.add(field, FieldErrorCode.INVALID_FORMAT, 'must be a string');
    return null;
  }
  return value;
}

function readEventTime(errors: FieldErrorList, value: unknown): number | null {
  if (isAbsent(value)) {
    errors.add('event_time', FieldErrorCode.MISSING_FIELD, 'is required');
    return null;
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    errors.add('event_time', FieldErrorCode.INVALID_FORMAT, 'must be whole epoch milliseconds');
    return null;
  }
  if (typeof value !== 'string') {
    errors.add('event_time', FieldErrorCode.INVALID_FORMAT, 'must be epoch milliseconds or an ISO-8601 string');
    return null;
  }
  const parsed = parseIsoInstant(value);
  if (parsed.ok) return parsed.epochMs;
  const detail =
    parsed.problem === 'NO_OFFSET'
      ? 'ISO-8601 time must carry an offset (Z or ±hh:mm)'
      : parsed.problem === 'RANGE'
        ? 'ISO-8601 time has an out-of-range component'
        : 'must be an ISO-8601 date-time such as 2024-05-01T10:15:30.250+02:00';
  errors.add('event_time', FieldErrorCode.INVALID_FORMAT, detail);
  return null;
}

/** Exactly one of `amount_minor` (integer minor units) and `amount` (decimal major units). */
function readAmount(errors: FieldErrorList, body: JsonObject, currency: string): number | null {
  const minor = body.amount_minor;
  const major = body.amount;
  if (!isAbsent(minor) && !isAbsent(major)) {
    errors.add('amount', FieldErrorCode.INVALID_FORMAT, 'give either amount or amount_minor, not both');
    return null;
  }
  if (!isAbsent(minor)) {
    if (typeof minor === 'number' && Number.isSafeInteger(minor)) return minor;
    errors.add('amount_minor', FieldErrorCode.INVALID_FORMAT, 'must be a whole number of minor units');
    return null;
  }
  if (isAbsent(major)) {
    errors.add('amount_minor', FieldErrorCode.MISSING_FIELD, 'amount_minor or amount is required');
    return null;
  }
  if (typeof major !== 'string' && typeof major !== 'number') {
    errors.add('amount', FieldErrorCode.INVALID_FORMAT, 'must be a decimal string or number');
    return null;
  }
  if (currency.trim() === '') return null; // already reported as a missing currency
  const code = currency.trim().toUpperCase();
  const exponent = currencyExponent(code);
  if (exponent === undefined) {
    errors.add('currency', FieldErrorCode.UNKNOWN_CURRENCY, 'is not an active ISO 4217 currency code');
    return null;
  }
  // String(number) is the shortest text that reads back as the same double: what the sender wrote.
  const converted = decimalToMinorUnits(String(major), exponent);
  if (converted.ok) return converted.minor;
  if (converted.problem === 'PRECISION') {
    errors.add('amount', FieldErrorCode.AMOUNT_TOO_PRECISE, `${code} allows at most ${exponent} decimal places`);
  } else if (converted.problem === 'RANGE') {
    errors.add('amount', FieldErrorCode.AMOUNT_OVER_LIMIT, 'is too large');
  } else {
    errors.add('amount', FieldErrorCode.INVALID_FORMAT, 'must be a decimal number such as "10.50"');
  }
  return null;
}

function readEnum(
  errors: FieldErrorList,
  body: JsonObject,
  field: string,
  allowed: ReadonlySet<string>,
): string | null {
  const value = body[field];
  if (isAbsent(value)) return null;
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : null;
  if (upper !== null && allowed.has(upper)) return upper;
  errors.add(field, FieldErrorCode.INVALID_FORMAT, `must be one of ${[...allowed].join(', ')}`);
  return null;
}

function readGeo(errors: FieldErrorList, value: unknown): Geo | null {
  if (isAbsent(value)) return null;
  if (!isObject(value)) {
    errors.add('geo', FieldErrorCode.INVALID_FORMAT, 'must be an object with lat and lon');
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!GEO_FIELDS.has(key)) errors.add(`geo.${key}`, FieldErrorCode.INVALID_FORMAT, 'is not a known field');
  }
  const coordinate = (field: 'lat' | 'lon'): number => {
    const v = value[field];
    if (typeof v === 'number') return v;
    errors.add(
      `geo.${field}`,
      isAbsent(v) ? FieldErrorCode.MISSING_FIELD : FieldErrorCode.INVALID_GEO,
      'must be a number',
    );
    return Number.NaN;
  };
  return {
    lat: coordinate('lat'),
    lon: coordinate('lon'),
    country: readString(errors, value, 'country', false),
    city: readString(errors, value, 'city', false),
  };
}

function readAttributes(errors: FieldErrorList, value: unknown): Record<string, string> {
  if (isAbsent(value)) return {};
  if (!isObject(value)) {
    errors.add('attributes', FieldErrorCode.INVALID_FORMAT, 'must be an object of strings');
    return {};
  }
  const kept: Array<[string, string]> = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') kept.push([key, v]);
    else errors.add(`attributes.${key.slice(0, 64)}`, FieldErrorCode.INVALID_FORMAT, 'must be a string');
  }
  return Object.fromEntries(kept);
}
