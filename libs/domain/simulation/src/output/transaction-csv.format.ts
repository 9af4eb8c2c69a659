import { LabelValue } from '@argus/contracts';
import type { SimulatedRow } from '../engine/simulated-row.types';

/**
 * The argus history CSV (deploy/config/mappings/argus.json): one column per Transaction field, geo split
 * in four, the inline label (`is_fraud` 1/0, `label_reported_at`) and the scenario that produced the row.
 */
export const TRANSACTION_CSV_COLUMNS = [
  'transaction_id',
  'event_time',
  'card_id',
  'pan',
  'customer_id',
  'account_id',
  'amount_minor',
  'currency',
  'merchant_id',
  'merchant_category_code',
  'merchant_country',
  'terminal_id',
  'channel',
  'payment_method',
  'device_fingerprint',
  'ip_address',
  'geo_lat',
  'geo_lon',
  'geo_country',
  'geo_city',
  'is_fraud',
  'label_reported_at',
  'scenario',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 cell: quoted only when it must be. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const cell = (value: string | null): string => value ?? '';

/** One data line (with its newline), cells in TRANSACTION_CSV_COLUMNS order. */
export function transactionCsvLine(row: SimulatedRow): string {
  const t = row.transaction;
  const label = row.label;
  const geo = t.geo;
  const fraud = label === null ? '' : label.label === LabelValue.FRAUD ? '1' : '0';
  const reported = label === null ? '' : new Date(label.reported_at).toISOString();
  return (
    `${t.transaction_id},${new Date(t.event_time).toISOString()},${cell(t.card_id)},${cell(t.pan)},` +
    `${t.customer_id},${cell(t.account_id)},${t.amount_minor},${t.currency},${t.merchant_id},` +
    `${cell(t.merchant_category_code)},${cell(t.merchant_country)},${cell(t.terminal_id)},${t.channel},` +
    `${t.payment_method},${cell(t.device_fingerprint)},${cell(t.ip_address)},` +
    `${geo === null ? ',,,' : `${geo.lat},${geo.lon},${cell(geo.country)},${csvCell(geo.city)}`},` +
    `${fraud},${reported},${row.scenario}\n`
  );
}
