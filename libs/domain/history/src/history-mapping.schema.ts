import { z } from 'zod';

const columnName = z.string().min(1, 'must name a column');

/**
 * Where one Transaction field (or attribute) comes from: exactly one of `column`, `columns` (+ `join`),
 * `constant` or `generate`, with optional modifiers. One column may feed several fields.
 */
export const fieldSpecSchema = z.strictObject({
  /** Value of this column (trimmed). */
  column: columnName.optional(),
  /** Values of these columns, non-empty ones joined with `join`. */
  columns: z.array(columnName).min(1).optional(),
  join: z.string().optional(),
  /** The same value on every row. */
  constant: z.union([z.string(), z.number()]).optional(),
  /** `row_hash`: `<prefix><line>-<16 hex of SHA-256 over the row>` for files without an id (transaction_id only). */
  generate: z.literal('row_hash').optional(),
  /** Prepended to the value (e.g. `M` to keep merchant ids apart from customer ids). */
  prefix: z.string().optional(),
  /** Translates the value (e.g. a category to a channel); values not listed take `default`, else fail. */
  map: z.record(z.string(), z.string()).optional(),
  default: z.string().optional(),
  /** Column absent or cell empty gives null instead of an error. */
  optional: z.boolean().optional(),
  /** This field is the card's token too (customer_id / account_id only; `column` must be the PAN column). */
  pan: z.literal(true).optional(),
});
export type FieldSpec = z.output<typeof fieldSpecSchema>;

/**
 * `epoch_s`, `epoch_ms`, `iso` (offset optional: without one, `timezone` applies), `step_hours` /
 * `step_days` (a count since `base`), or a strptime-style pattern such as `%Y-%m-%d %H:%M:%S` (read in
 * `timezone`, default UTC; directives %Y %m %d %H %M %S %f %z %%).
 */
export const timeSpecSchema = z.strictObject({
  column: columnName,
  format: z.string().min(1),
  timezone: z.string().min(1).optional(),
  base: z.string().optional(),
  optional: z.boolean().optional(),
});
export type TimeSpec = z.output<typeof timeSpecSchema>;

export const amountSpecSchema = z.strictObject({
  column: columnName,
  unit: z.enum(['major', 'minor']),
  /** Decimal places of the currency, for `major` with a constant currency; else looked up per row. */
  exponent: z.number().int().min(0).max(4).optional(),
});

export const labelSpecSchema = z.strictObject({
  column: columnName,
  /** Cell values meaning fraud, compared trimmed and case-insensitively. */
  fraud_values: z.array(z.string()).min(1),
  /** Cell values meaning legitimate; default `0`, `false`. Anything else is an error. */
  legit_values: z.array(z.string()).min(1).optional(),
  /** An empty cell means "not labelled" instead of an error. */
  optional: z.boolean().optional(),
  /** When the label became known, from a column; falls back to `delay_hours` when the cell is empty. */
  report_time: timeSpecSchema.optional(),
  /** Label known this many hours after the event (e.g. a chargeback delay). */
  delay_hours: z.number().min(0).optional(),
});

export const geoSpecSchema = z.strictObject({
  lat: columnName,
  lon: columnName,
  country: fieldSpecSchema.optional(),
  city: fieldSpecSchema.optional(),
  /** Both coordinates empty gives no geo instead of an error. */
  optional: z.boolean().optional(),
});

export const panSpecSchema = z.strictObject({
  column: columnName,
  /** Left-pads with zeros to this many digits: restores leading zeros lost when a PAN was stored as a number. */
  zero_pad_to: z.number().int().min(12).max(19).optional(),
  optional: z.boolean().optional(),
});

const field = fieldSpecSchema.optional();

export const historyMappingSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  fields: z.strictObject({
    transaction_id: field,
    card_id: field,
    customer_id: field,
    account_id: field,
    currency: field,
    merchant_id: field,
    merchant_category_code: field,
    merchant_country: field,
    terminal_id: field,
    channel: field,
    payment_method: field,
    device_fingerprint: field,
    ip_address: field,
  }),
  /** The column holding a clear card number: mapped into `pan`, to be tokenised before anything leaves. */
  pan: panSpecSchema.optional(),
  time: timeSpecSchema,
  amount: amountSpecSchema,
  geo: geoSpecSchema.optional(),
  attributes: z.record(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/), fieldSpecSchema).optional(),
  label: labelSpecSchema.optional(),
});

/** A validated mapping from CSV columns to `Transaction` fields (JSON-serialisable). */
export type HistoryMapping = z.output<typeof historyMappingSchema>;
export type MappedField = keyof HistoryMapping['fields'];
