import { createHash } from 'node:crypto';
import { Channel, PaymentMethod, type Geo, type Transaction } from '@argus/contracts';
import { readAmount } from './history-amount.parser';
import { HistoryMappingError, HistoryMappingErrorCode } from './history-mapping.errors';
import { normaliseLabel } from './history-mapping.loader';
import type { FieldSpec, HistoryMapping, TimeSpec } from './history-mapping.schema';
import { HistoryRowError, HistoryRowErrorCode } from './history-row.errors';
import { compileTimeReader, type TimeReader } from './history-time.parser';
import { cardHint, isCardNumber } from './card-number.rules';

/** A parsed CSV row: column name → cell, as csv-parse gives it with `columns: true`. */
export type CsvRow = Readonly<Record<string, string | undefined>>;

export interface HistoryLabel {
  readonly fraud: boolean;
  /** When the label became known (UTC epoch millis), never before the transaction. */
  readonly reported_at: number;
}

/** Fields that hold the card's token when the mapping says so (`"pan": true`). */
export type PanLinkedField = 'customer_id' | 'account_id';

export interface MappedRow {
  /**
   * The transaction. With a card number column, the clear PAN is in `pan` only: `card_id` is null and the
   * fields in `panLinkedFields` are empty until `tokeniseMappedRow` (or `options.tokenise`) fills them.
   */
  readonly transaction: Transaction;
  readonly label: HistoryLabel | null;
  readonly panLinkedFields: readonly PanLinkedField[];
  /**
   * The amount cell was a binary floating-point rendering ("85.64999999999999") of an amount with the currency's
   * places, read as that amount; counted in replay and backfill summaries.
   */
  readonly amountRounded: boolean;
}

export interface MapRowOptions {
  /** Tokenises the PAN right away (e.g. `(pan) => tokeniser.tokenise(pan)`): no clear PAN in the result. */
  readonly tokenise?: (pan: string) => string;
  /** Minor-unit exponent of a currency, for major-unit amounts (e.g. @argus/transaction's currencyExponent). */
  readonly minorUnitExponent?: (currency: string) => number | undefined;
}

interface CompiledMapping {
  readonly time: TimeReader;
  readonly reportTime: TimeReader | null;
  readonly fraud: ReadonlySet<string>;
  readonly legit: ReadonlySet<string>;
  readonly panLinked: readonly PanLinkedField[];
}

const HOUR_MS = 3_600_000;
const CHANNELS: ReadonlySet<string> = new Set(Object.values(Channel));
const PAYMENT_METHODS: ReadonlySet<string> = new Set(Object.values(PaymentMethod));
const COORDINATE = /^[+-]?\d+(?:\.\d+)?$/;
const compiled = new WeakMap<HistoryMapping, CompiledMapping>();

/**
 * Maps one CSV row to a `Transaction` and, when the mapping has a label column, its label. `line` is the
 * row's line in the file (for errors). Throws `HistoryRowError` on anything it cannot map: a row is never
 * skipped silently.
 */
export function mapRow(mapping: HistoryMapping, row: CsvRow, line: number, options: MapRowOptions = {}): MappedRow {
  const plan = compile(mapping);
  const cells = new RowReader(row, line);

  const pan = readPan(mapping, cells);
  const transactionId = cells.required('transaction_id', mapping.fields.transaction_id, mapping);
  const currency = cells.required('currency', mapping.fields.currency, mapping).toUpperCase();
  const eventTime = cells.time('time', mapping.time, plan.time);
  const amount = readAmountMinor(mapping, cells, currency, options);
  const cardId = cells.optional('card_id', mapping.fields.card_id, mapping);
  if (pan === null && cardId === null) {
    throw cells.error(
      HistoryRowErrorCode.MISSING_CARD,
      'card_id',
      'no card: the card number and card_id cells are empty',
    );
  }
  const linked = (field: PanLinkedField, required: boolean): string | null => {
    if (mapping.fields[field]?.pan === true) {
      if (pan === null)
        throw cells.error(HistoryRowErrorCode.EMPTY_VALUE, field, 'takes the card token but the card number is empty');
      return '';
    }
    return required
      ? cells.required(field, mapping.fields[field], mapping)
      : cells.optional(field, mapping.fields[field], mapping);
  };

  const transaction: Transaction = {
    transaction_id: transactionId,
    event_time: eventTime,
    card_id: pan === null ? cardId : null,
    pan,
    customer_id: linked('customer_id', true) as string,
    account_id: linked('account_id', false),
    amount_minor: amount.minor,
    currency,
    merchant_id: cells.required('merchant_id', mapping.fields.merchant_id, mapping),
    merchant_category_code: cells.optional('merchant_category_code', mapping.fields.merchant_category_code, mapping),
    merchant_country:
      cells.optional('merchant_country', mapping.fields.merchant_country, mapping)?.toUpperCase() ?? null,
    terminal_id: cells.optional('terminal_id', mapping.fields.terminal_id, mapping),
    channel: cells.member('channel', mapping.fields.channel, mapping, CHANNELS, Channel.UNKNOWN) as Channel,
    payment_method: cells.member(
      'payment_method',
      mapping.fields.payment_method,
      mapping,
      PAYMENT_METHODS,
      PaymentMethod.OTHER,
    ) as PaymentMethod,
    device_fingerprint: cells.optional('device_fingerprint', mapping.fields.device_fingerprint, mapping),
    ip_address: cells.optional('ip_address', mapping.fields.ip_address, mapping),
    geo: readGeo(mapping, cells),
    attributes: readAttributes(mapping, cells),
  };
  const mapped: MappedRow = {
    transaction,
    label: readLabel(mapping, plan, cells, eventTime),
    panLinkedFields: pan === null ? [] : plan.panLinked,
    amountRounded: amount.rounded,
  };
  return options.tokenise === undefined ? mapped : tokeniseMappedRow(mapped, options.tokenise);
}

/** Replaces the clear PAN by its token: `card_id` and the PAN-linked fields get the token, `pan` is cleared. */
export function tokeniseMappedRow(mapped: MappedRow, tokenise: (pan: string) => string): MappedRow {
  const pan = mapped.transaction.pan;
  if (pan === null) return mapped;
  const token = tokenise(pan);
  const transaction: Transaction = { ...mapped.transaction, pan: null, card_id: token };
  for (const field of mapped.panLinkedFields) transaction[field] = token;
  return { ...mapped, transaction, panLinkedFields: [] };
}

function compile(mapping: HistoryMapping): CompiledMapping {
  const cached = compiled.get(mapping);
  if (cached !== undefined) return cached;
  const time = compileTimeReader(mapping.time);
  const reportTime = mapping.label?.report_time === undefined ? null : compileTimeReader(mapping.label.report_time);
  if (typeof time === 'string' || typeof reportTime === 'string') {
    const problem = typeof time === 'string' ? `time: ${time}` : `label.report_time: ${reportTime}`;
    throw new HistoryMappingError(
      HistoryMappingErrorCode.INVALID_MAPPING,
      `invalid history mapping "${mapping.name}"`,
      [problem],
    );
  }
  const plan: CompiledMapping = {
    time,
    reportTime,
    fraud: new Set((mapping.label?.fraud_values ?? []).map(normaliseLabel)),
    legit: new Set((mapping.label?.legit_values ?? ['0', 'false']).map(normaliseLabel)),
    panLinked: (['customer_id', 'account_id'] as const).filter((f) => mapping.fields[f]?.pan === true),
  };
  compiled.set(mapping, plan);
  return plan;
}

/** Reads cells through field specs, turning every problem into a HistoryRowError for this line. */
class RowReader {
  constructor(
    private readonly row: CsvRow,
    private readonly line: number,
  ) {}

  error(code: HistoryRowErrorCode, field: string, reason: string): HistoryRowError {
    return new HistoryRowError(this.line, code, field, reason);
  }

  /** Trimmed cell; null when empty; error when the column is absent, unless optional. */
  cell(field: string, column: string, optional: boolean): string | null {
    const value = this.row[column];
    if (value === undefined) {
      if (optional) return null;
      throw this.error(HistoryRowErrorCode.MISSING_COLUMN, field, `column "${column}" is missing`);
    }
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }

  value(field: string, spec: FieldSpec | undefined, mapping: HistoryMapping): string | null {
    if (spec === undefined) return null;
    if (spec.constant !== undefined) return String(spec.constant);
    if (spec.generate !== undefined) return `${spec.prefix ?? ''}${this.line}-${rowHash(this.row, mapping)}`;
    const optional = spec.optional === true;
    let value: string | null;
    if (spec.columns !== undefined) {
      const parts = spec.columns.map((c) => this.cell(field, c, optional)).filter((p): p is string => p !== null);
      value = parts.length === 0 ? null : parts.join(spec.join ?? '');
    } else {
      value = this.cell(field, spec.column as string, optional);
    }
    if (value === null) return null;
    if (spec.map !== undefined) {
      const mapped = Object.hasOwn(spec.map, value) ? spec.map[value] : spec.default;
      if (mapped === undefined) throw this.error(HistoryRowErrorCode.INVALID_VALUE, field, `no mapping for "${value}"`);
      value = mapped;
    }
    return `${spec.prefix ?? ''}${value}`;
  }

  optional(field: string, spec: FieldSpec | undefined, mapping: HistoryMapping): string | null {
    return this.value(field, spec, mapping);
  }

  required(field: string, spec: FieldSpec | undefined, mapping: HistoryMapping): string {
    const value = this.value(field, spec, mapping);
    if (value === null) throw this.error(HistoryRowErrorCode.EMPTY_VALUE, field, 'is empty');
    return value;
  }

  member(
    field: string,
    spec: FieldSpec | undefined,
    mapping: HistoryMapping,
    allowed: ReadonlySet<string>,
    fallback: string,
  ): string {
    const value = this.value(field, spec, mapping);
    if (value === null) {
      if (spec === undefined || spec.optional === true) return fallback;
      throw this.error(HistoryRowErrorCode.EMPTY_VALUE, field, 'is empty');
    }
    const upper = value.toUpperCase();
    if (!allowed.has(upper)) {
      throw this.error(HistoryRowErrorCode.INVALID_VALUE, field, `"${value}" is not one of ${[...allowed].join(', ')}`);
    }
    return upper;
  }

  time(field: string, spec: TimeSpec, reader: TimeReader): number {
    const cell = this.cell(field, spec.column, false);
    if (cell === null) throw this.error(HistoryRowErrorCode.INVALID_TIME, field, `column "${spec.column}" is empty`);
    const epochMs = reader(cell);
    if (epochMs === null) {
      throw this.error(HistoryRowErrorCode.INVALID_TIME, field, `"${cell}" does not match format ${spec.format}`);
    }
    return epochMs;
  }
}

/**
 * A stable id for files without one. Line and content together: identical rows on two lines stay two
 * transactions, and a replay of the same file gives the same ids (ingestion de-duplicates on them). The card
 * number column is left out: a hash of it would be a PAN surrogate anyone could brute-force.
 */
function rowHash(row: CsvRow, mapping: HistoryMapping): string {
  const entries = Object.entries(row)
    .filter(([column]) => column !== mapping.pan?.column)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
}

function readPan(mapping: HistoryMapping, cells: RowReader): string | null {
  const spec = mapping.pan;
  if (spec === undefined) return null;
  const cell = cells.cell('pan', spec.column, spec.optional === true);
  if (cell === null) {
    if (spec.optional === true) return null;
    throw cells.error(HistoryRowErrorCode.EMPTY_VALUE, 'pan', `column "${spec.column}" is empty`);
  }
  const digits = cell.replace(/[ -]/g, '').padStart(spec.zero_pad_to ?? 0, '0');
  if (!isCardNumber(digits)) {
    throw cells.error(
      HistoryRowErrorCode.INVALID_PAN,
      'pan',
      `column "${spec.column}" is not a valid card number (${cardHint(digits)})`,
    );
  }
  return digits;
}

function readAmountMinor(
  mapping: HistoryMapping,
  cells: RowReader,
  currency: string,
  options: MapRowOptions,
): { minor: number; rounded: boolean } {
  const spec = mapping.amount;
  const cell = cells.cell('amount_minor', spec.column, false);
  if (cell === null)
    throw cells.error(HistoryRowErrorCode.INVALID_AMOUNT, 'amount_minor', `column "${spec.column}" is empty`);
  let exponent = 0;
  if (spec.unit === 'major') {
    const known = spec.exponent ?? options.minorUnitExponent?.(currency);
    if (known === undefined) {
      throw cells.error(
        HistoryRowErrorCode.UNKNOWN_CURRENCY,
        'currency',
        `no minor-unit exponent known for "${currency}" (set amount.exponent or pass minorUnitExponent)`,
      );
    }
    exponent = known;
  }
  const reading = readAmount(cell, exponent);
  if (!reading.ok) throw cells.error(HistoryRowErrorCode.INVALID_AMOUNT, 'amount_minor', reading.reason);
  return { minor: reading.minor, rounded: reading.rounded };
}

function readCoordinate(cells: RowReader, field: string, column: string, limit: number): number | null {
  const cell = cells.cell(field, column, false);
  if (cell === null) return null;
  const value = Number(cell);
  if (!COORDINATE.test(cell) || Math.abs(value) > limit) {
    throw cells.error(HistoryRowErrorCode.INVALID_VALUE, field, `"${cell}" is not a coordinate within ±${limit}`);
  }
  return value;
}

function readGeo(mapping: HistoryMapping, cells: RowReader): Geo | null {
  const spec = mapping.geo;
  if (spec === undefined) return null;
  const optional = spec.optional === true;
  const present = (column: string): boolean => cells.cell('geo', column, optional) !== null;
  if (optional && !present(spec.lat) && !present(spec.lon)) return null;
  const lat = readCoordinate(cells, 'geo.lat', spec.lat, 90);
  const lon = readCoordinate(cells, 'geo.lon', spec.lon, 180);
  if (lat === null || lon === null) {
    throw cells.error(HistoryRowErrorCode.EMPTY_VALUE, lat === null ? 'geo.lat' : 'geo.lon', 'is empty');
  }
  return {
    lat,
    lon,
    country: cells.optional('geo.country', spec.country, mapping)?.toUpperCase() ?? null,
    city: cells.optional('geo.city', spec.city, mapping),
  };
}

function readAttributes(mapping: HistoryMapping, cells: RowReader): Record<string, string> {
  const kept: Array<[string, string]> = [];
  for (const [key, spec] of Object.entries(mapping.attributes ?? {})) {
    const value = cells.optional(`attributes.${key}`, spec, mapping);
    if (value !== null) kept.push([key, value]);
  }
  return Object.fromEntries(kept);
}

function readLabel(
  mapping: HistoryMapping,
  plan: CompiledMapping,
  cells: RowReader,
  eventTime: number,
): HistoryLabel | null {
  const spec = mapping.label;
  if (spec === undefined) return null;
  const optional = spec.optional === true;
  const cell = cells.cell('label', spec.column, optional);
  if (cell === null) {
    if (optional) return null;
    throw cells.error(HistoryRowErrorCode.INVALID_LABEL, 'label', `column "${spec.column}" is empty`);
  }
  const value = normaliseLabel(cell);
  const fraud = plan.fraud.has(value);
  if (!fraud && !plan.legit.has(value)) {
    const known = [...plan.fraud, ...plan.legit].join(', ');
    throw cells.error(HistoryRowErrorCode.INVALID_LABEL, 'label', `"${cell}" is not a known label value (${known})`);
  }
  const reportedAt = readReportedAt(spec.report_time, spec.delay_hours, plan, cells, eventTime);
  if (reportedAt < eventTime) {
    throw cells.error(HistoryRowErrorCode.INVALID_LABEL, 'label', 'reported before the transaction happened');
  }
  return { fraud, reported_at: reportedAt };
}

function readReportedAt(
  spec: TimeSpec | undefined,
  delayHours: number | undefined,
  plan: CompiledMapping,
  cells: RowReader,
  eventTime: number,
): number {
  const cell = spec === undefined ? null : cells.cell('label.reported_at', spec.column, spec.optional === true);
  if (spec !== undefined && plan.reportTime !== null && cell !== null) {
    const at = plan.reportTime(cell);
    if (at === null) {
      throw cells.error(
        HistoryRowErrorCode.INVALID_TIME,
        'label.reported_at',
        `"${cell}" does not match format ${spec.format}`,
      );
    }
    return at;
  }
  if (delayHours === undefined) {
    throw cells.error(
      HistoryRowErrorCode.INVALID_LABEL,
      'label.reported_at',
      'is empty and the mapping has no delay_hours',
    );
  }
  return eventTime + Math.round(delayHours * HOUR_MS);
}
