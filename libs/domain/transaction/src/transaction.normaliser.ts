import { isIP } from 'node:net';
import {
  Channel,
  PaymentMethod,
  type Geo,
  type IntakeSource,
  type NormalizedTransaction,
  type Transaction,
} from '@argus/contracts';
import { asClearPan, panHint } from './card-number.rules';
import type { CardTokeniser } from './pan.tokeniser';
import { isKnownCountry } from './reference/country.registry';
import { currencyExponent } from './reference/currency.registry';
import { FieldErrorCode, FieldErrorList, TransactionValidationError } from './transaction.errors';
import { FIELD_MAX_LENGTH, resolveLimits, type ValidationLimits } from './validation.limits';

export interface NormaliseContext {
  readonly source: IntakeSource;
  /** Ingestion time (UTC epoch millis); also the reference for the event-time window. */
  readonly now: number;
  readonly tokeniser: CardTokeniser;
  readonly limits?: Partial<ValidationLimits>;
}

/** Identifiers used as keys (partition key, dedup key): printable ASCII, no spaces. */
const KEY_CHARS = /^[!-~]+$/;
/** Names and free text (merchant names, device fingerprints): anything printable. */
const CONTROL_CHARS = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const ATTRIBUTE_KEY = /^[A-Za-z0-9_.:-]+$/;
const MCC = /^\d{4}$/;
/** Below 15 digits, first six plus last four would leave too few hidden digits (PCI DSS truncation). */
const MIN_PAN_DIGITS_FOR_BIN = 15;

const CHANNELS: ReadonlySet<string> = new Set(Object.values(Channel));
const PAYMENT_METHODS: ReadonlySet<string> = new Set(Object.values(PaymentMethod));

/** How the card was identified: the token and what may be kept of the PAN, or the processor's card id. */
interface ResolvedCard {
  readonly cardId: string | null;
  readonly bin: string | null;
  readonly last4: string | null;
  /** Clear PAN digits seen in `pan` or `card_id`; used only to keep them out of every other field. */
  readonly clearPan: string | null;
}

interface TextRule {
  readonly required: boolean;
  readonly maxLength: number;
  readonly kind: 'key' | 'text';
}

/**
 * Validates a processor's transaction and turns it into the normalised form every later stage reads: the PAN
 * replaced by a keyed token (plus BIN and last four), strings trimmed, codes upper-cased, ingestion time and
 * source stamped. Throws `TransactionValidationError` listing every invalid field. No clear card number ever
 * reaches the result or an error message.
 */
export function normaliseTransaction(input: Transaction, ctx: NormaliseContext): NormalizedTransaction {
  const limits = resolveLimits(ctx.limits);
  const errors = new FieldErrorList();
  const card = resolveCard(input, ctx.tokeniser, errors);
  const pan = card.clearPan;

  const transactionId = checkText(errors, 'transaction_id', input.transaction_id, keyRule('transaction_id'), pan);
  const customerId = checkLinkedId(errors, 'customer_id', input.customer_id, true, card);
  const accountId = checkLinkedId(errors, 'account_id', input.account_id, false, card);
  const currency = checkCurrency(errors, input.currency);
  const amountMinor = checkAmount(errors, input.amount_minor, currency, limits);
  const eventTime = checkEventTime(errors, input.event_time, ctx.now, limits);
  const merchantId = checkText(errors, 'merchant_id', input.merchant_id, textRule('merchant_id', true), pan);
  const mcc = checkMcc(errors, input.merchant_category_code);
  const merchantCountry = checkCountry(errors, 'merchant_country', input.merchant_country);
  const terminalId = checkText(errors, 'terminal_id', input.terminal_id, textRule('terminal_id', false), pan);
  const channel = checkMember(errors, 'channel', input.channel, CHANNELS);
  const paymentMethod = checkMember(errors, 'payment_method', input.payment_method, PAYMENT_METHODS);
  const device = checkText(
    errors,
    'device_fingerprint',
    input.device_fingerprint,
    textRule('device_fingerprint', false),
    pan,
  );
  const ipAddress = checkIp(errors, input.ip_address);
  const geo = checkGeo(errors, input.geo, pan);
  const attributes = checkAttributes(errors, input.attributes, limits, pan);

  if (!errors.isEmpty || card.cardId === null) {
    throw new TransactionValidationError(errors.errors, { transactionId });
  }
  return {
    transaction_id: transactionId as string,
    event_time: eventTime as number,
    ingested_at: ctx.now,
    source: ctx.source,
    card_id: card.cardId,
    card_bin: card.bin,
    card_last4: card.last4,
    customer_id: customerId as string,
    account_id: accountId,
    amount_minor: amountMinor as number,
    currency: currency as string,
    merchant_id: merchantId as string,
    merchant_category_code: mcc,
    merchant_country: merchantCountry,
    terminal_id: terminalId,
    channel: channel as Channel,
    payment_method: paymentMethod as PaymentMethod,
    device_fingerprint: device,
    ip_address: ipAddress,
    geo,
    attributes,
  };
}

function keyRule(field: keyof typeof FIELD_MAX_LENGTH, required = true): TextRule {
  return { required, maxLength: FIELD_MAX_LENGTH[field], kind: 'key' };
}

function textRule(field: keyof typeof FIELD_MAX_LENGTH, required: boolean): TextRule {
  return { required, maxLength: FIELD_MAX_LENGTH[field], kind: 'text' };
}

function isBlank(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.trim() === '';
}

function containsPan(value: string, pan: string | null): boolean {
  return pan !== null && value.replace(/[ -]/g, '').includes(pan);
}

/**
 * The card comes from `pan` when given, else from `card_id`. A `card_id` that is a clear PAN (processors do
 * make that mistake) is tokenised like `pan` rather than let through.
 */
function resolveCard(input: Transaction, tokeniser: CardTokeniser, errors: FieldErrorList): ResolvedCard {
  if (!isBlank(input.pan)) {
    const digits = asClearPan(input.pan);
    if (digits === null) {
      errors.add('pan', FieldErrorCode.INVALID_PAN, `not a valid card number (${panHint(input.pan)})`);
      return { cardId: null, bin: null, last4: null, clearPan: null };
    }
    return tokenised(digits, tokeniser);
  }
  if (isBlank(input.card_id)) {
    errors.add('card_id', FieldErrorCode.MISSING_CARD, 'either pan or card_id is required');
    return { cardId: null, bin: null, last4: null, clearPan: null };
  }
  const digits = asClearPan(input.card_id);
  if (digits !== null) return tokenised(digits, tokeniser);
  const cardId = checkText(errors, 'card_id', input.card_id, keyRule('card_id'), null);
  return { cardId, bin: null, last4: null, clearPan: null };
}

function tokenised(digits: string, tokeniser: CardTokeniser): ResolvedCard {
  return {
    cardId: tokeniser.tokenise(digits),
    bin: digits.length >= MIN_PAN_DIGITS_FOR_BIN ? digits.slice(0, 6) : null,
    last4: digits.slice(-4),
    clearPan: digits,
  };
}

function checkText(
  errors: FieldErrorList,
  field: string,
  value: string | null | undefined,
  rule: TextRule,
  pan: string | null,
): string | null {
  if (isBlank(value)) {
    if (rule.required) errors.add(field, FieldErrorCode.MISSING_FIELD, 'is required and must not be blank');
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length > rule.maxLength) {
    errors.add(
      field,
      FieldErrorCode.FIELD_TOO_LONG,
      `must be at most ${rule.maxLength} characters, got ${trimmed.length}`,
    );
    return null;
  }
  if (containsPan(trimmed, pan)) {
    errors.add(field, FieldErrorCode.CONTAINS_PAN, 'contains the card number; send it only in pan');
    return null;
  }
  if (rule.kind === 'key' && !KEY_CHARS.test(trimmed)) {
    errors.add(field, FieldErrorCode.INVALID_FORMAT, 'must be printable ASCII without spaces');
    return null;
  }
  if (rule.kind === 'text' && CONTROL_CHARS.test(trimmed)) {
    errors.add(field, FieldErrorCode.INVALID_FORMAT, 'must not contain control characters');
    return null;
  }
  return trimmed;
}

/** customer_id / account_id equal to the clear PAN get the card's token: the same customer, no PAN kept. */
function checkLinkedId(
  errors: FieldErrorList,
  field: 'customer_id' | 'account_id',
  value: string | null | undefined,
  required: boolean,
  card: ResolvedCard,
): string | null {
  if (!isBlank(value) && card.clearPan !== null && asClearPan(value) === card.clearPan) return card.cardId;
  return checkText(errors, field, value, keyRule(field, required), card.clearPan);
}

function checkCurrency(errors: FieldErrorList, value: string | null | undefined): string | null {
  if (isBlank(value)) {
    errors.add('currency', FieldErrorCode.MISSING_FIELD, 'is required');
    return null;
  }
  const code = value.trim().toUpperCase();
  if (currencyExponent(code) === undefined) {
    errors.add('currency', FieldErrorCode.UNKNOWN_CURRENCY, 'is not an active ISO 4217 currency code');
    return null;
  }
  return code;
}

function checkAmount(
  errors: FieldErrorList,
  value: number,
  currency: string | null,
  limits: ValidationLimits,
): number | null {
  if (!Number.isSafeInteger(value)) {
    errors.add('amount_minor', FieldErrorCode.INVALID_FORMAT, 'must be a whole number of minor units');
    return null;
  }
  if (value <= 0) {
    errors.add('amount_minor', FieldErrorCode.AMOUNT_NOT_POSITIVE, 'must be greater than zero');
    return null;
  }
  if (currency === null) return value;
  const maxMajor = limits.maxAmountMajorByCurrency[currency] ?? limits.maxAmountMajor;
  const maxMinor = maxMajor * 10 ** (currencyExponent(currency) as number);
  if (value > maxMinor) {
    errors.add(
      'amount_minor',
      FieldErrorCode.AMOUNT_OVER_LIMIT,
      `exceeds the limit of ${maxMajor} ${currency} (${maxMinor} minor units)`,
    );
    return null;
  }
  return value;
}

function describeTime(epochMs: number): string {
  return Math.abs(epochMs) <= 8.64e15 ? new Date(epochMs).toISOString() : 'out of range';
}

function checkEventTime(errors: FieldErrorList, value: number, now: number, limits: ValidationLimits): number | null {
  if (!Number.isSafeInteger(value)) {
    errors.add('event_time', FieldErrorCode.INVALID_FORMAT, 'must be whole UTC epoch milliseconds');
    return null;
  }
  const latest = now + limits.maxFutureMinutes * 60_000;
  const earliest = now - limits.maxAgeDays * 86_400_000;
  if (value > latest) {
    errors.add(
      'event_time',
      FieldErrorCode.EVENT_TIME_IN_FUTURE,
      `${describeTime(value)} is more than ${limits.maxFutureMinutes} minutes after ${describeTime(now)}`,
    );
    return null;
  }
  if (value < earliest) {
    errors.add(
      'event_time',
      FieldErrorCode.EVENT_TIME_TOO_OLD,
      `${describeTime(value)} is more than ${limits.maxAgeDays} days before ${describeTime(now)}`,
    );
    return null;
  }
  return value;
}

function checkMcc(errors: FieldErrorList, value: string | null | undefined): string | null {
  if (isBlank(value)) return null;
  const mcc = value.trim();
  if (!MCC.test(mcc)) {
    errors.add('merchant_category_code', FieldErrorCode.INVALID_MCC, 'must be four digits (ISO 18245)');
    return null;
  }
  return mcc;
}

function checkCountry(errors: FieldErrorList, field: string, value: string | null | undefined): string | null {
  if (isBlank(value)) return null;
  const code = value.trim().toUpperCase();
  if (!isKnownCountry(code)) {
    errors.add(field, FieldErrorCode.INVALID_COUNTRY, 'must be an ISO 3166-1 alpha-2 country code');
    return null;
  }
  return code;
}

function checkMember(
  errors: FieldErrorList,
  field: string,
  value: string,
  allowed: ReadonlySet<string>,
): string | null {
  if (allowed.has(value)) return value;
  errors.add(field, FieldErrorCode.INVALID_FORMAT, `must be one of ${[...allowed].join(', ')}`);
  return null;
}

function checkIp(errors: FieldErrorList, value: string | null | undefined): string | null {
  if (isBlank(value)) return null;
  const ip = value.trim();
  if (ip.length > FIELD_MAX_LENGTH.ip_address || isIP(ip) === 0) {
    errors.add('ip_address', FieldErrorCode.INVALID_FORMAT, 'must be an IPv4 or IPv6 address');
    return null;
  }
  return ip.toLowerCase();
}

function checkCoordinate(errors: FieldErrorList, field: string, value: number, limit: number): boolean {
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit) return true;
  errors.add(field, FieldErrorCode.INVALID_GEO, `must be a number between -${limit} and ${limit}`);
  return false;
}

function checkGeo(errors: FieldErrorList, geo: Geo | null | undefined, pan: string | null): Geo | null {
  if (geo === null || geo === undefined) return null;
  const latOk = checkCoordinate(errors, 'geo.lat', geo.lat, 90);
  const lonOk = checkCoordinate(errors, 'geo.lon', geo.lon, 180);
  const country = checkCountry(errors, 'geo.country', geo.country);
  const city = checkText(errors, 'geo.city', geo.city, textRule('city', false), pan);
  return latOk && lonOk ? { lat: geo.lat, lon: geo.lon, country, city } : null;
}

function checkAttributes(
  errors: FieldErrorList,
  attributes: Record<string, string> | null | undefined,
  limits: ValidationLimits,
  pan: string | null,
): Record<string, string> {
  const entries = Object.entries(attributes ?? {});
  if (entries.length > limits.maxAttributes) {
    errors.add(
      'attributes',
      FieldErrorCode.TOO_MANY_ATTRIBUTES,
      `at most ${limits.maxAttributes} attributes, got ${entries.length}`,
    );
    return {};
  }
  const kept: Array<[string, string]> = [];
  for (const [key, value] of entries) {
    const field = `attributes.${key.slice(0, limits.maxAttributeKeyLength)}`;
    if (key.length > limits.maxAttributeKeyLength) {
      errors.add(
        field,
        FieldErrorCode.FIELD_TOO_LONG,
        `key must be at most ${limits.maxAttributeKeyLength} characters`,
      );
    } else if (!ATTRIBUTE_KEY.test(key)) {
      errors.add(field, FieldErrorCode.INVALID_FORMAT, 'key may hold only letters, digits, _ . : -');
    } else if (containsPan(key, pan)) {
      errors.add(field, FieldErrorCode.CONTAINS_PAN, 'key contains the card number');
    } else if (typeof value !== 'string') {
      errors.add(field, FieldErrorCode.INVALID_FORMAT, 'value must be a string');
    } else if (value.length > limits.maxAttributeValueLength) {
      errors.add(
        field,
        FieldErrorCode.FIELD_TOO_LONG,
        `value must be at most ${limits.maxAttributeValueLength} characters`,
      );
    } else if (containsPan(value, pan)) {
      errors.add(field, FieldErrorCode.CONTAINS_PAN, 'value contains the card number; send it only in pan');
    } else {
      kept.push([key, value]);
    }
  }
  // fromEntries defines own properties, so a key such as "__proto__" cannot reach the prototype.
  return Object.fromEntries(kept);
}
