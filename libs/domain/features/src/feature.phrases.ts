import { Channel } from '@argus/contracts';

// A model factor as an analyst would say it: "3 payments on this card in the last 5 minutes", "no terminal on
// this payment" — not "card_count_5m = 3" or "terminal_amount_7d = NaN". One phrase per feature name pattern
// of the catalog; feature.phrases.spec.ts holds every feature of the catalog to having one.

const WINDOWS: Readonly<Record<string, string>> = {
  '1m': 'minute',
  '5m': '5 minutes',
  '10m': '10 minutes',
  '15m': '15 minutes',
  '1h': 'hour',
  '1d': 'day',
  '7d': '7 days',
  '30d': '30 days',
};
const ENTITIES: Readonly<Record<string, string>> = {
  card: 'card',
  customer: 'customer',
  device: 'device',
  merchant: 'merchant',
  terminal: 'terminal',
  payee: 'receiving account',
};
/** How money meets each entity: "paid with this card", "paid at this merchant". */
const PAID: Readonly<Record<string, string>> = {
  card: 'with this card',
  customer: 'by this customer',
  device: 'from this device',
  merchant: 'at this merchant',
  terminal: 'at this terminal',
};
/** Entities a payment may lack: a NaN feature of theirs means "none on this payment", not "unknown". */
const OPTIONAL: Readonly<Record<string, string>> = {
  device: 'no device fingerprint on this payment',
  terminal: 'no terminal on this payment',
  payee: 'not a payment to an account',
};
const NOVELTY: Readonly<Record<string, string>> = {
  merchant: 'merchant',
  device: 'device',
  country: 'country',
  channel: 'channel',
  terminal: 'terminal',
};
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const CHANNELS: readonly string[] = Object.values(Channel);

type Phrase = (value: number, parts: RegExpExecArray) => string;

const num = (value: number): string => {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 1_000 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(2);
};
const pct = (value: number): string => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)} %`;
const plural = (n: number, one: string, many: string): string => `${num(n)} ${n === 1 ? one : many}`;
const window = (w: string): string => `the last ${WINDOWS[w] ?? w}`;

function duration(seconds: number): string {
  if (seconds < 120) return plural(Math.round(seconds), 'second', 'seconds');
  if (seconds < 7_200) return plural(Math.round(seconds / 60), 'minute', 'minutes');
  if (seconds < 172_800) return plural(Math.round(seconds / 3_600), 'hour', 'hours');
  return plural(Math.round(seconds / 86_400), 'day', 'days');
}

const PHRASES: ReadonlyArray<readonly [RegExp, Phrase]> = [
  [/^amount$/, (v) => `amount ${num(v)}`],
  [/^log_amount$/, (v) => `amount ${num(10 ** v - 1)}`],
  [/^local_hour$/, (v) => `${Math.floor(v)}:00 local time`],
  [/^day_of_week$/, (v) => DAYS[v] ?? `day ${v}`],
  [/^channel_code$/, (v) => `channel ${CHANNELS[v] ?? v}`],
  [/^is_card_present$/, (v) => (v ? 'card present' : 'card not present')],
  [/^is_ecommerce$/, (v) => (v ? 'an online payment' : 'not an online payment')],
  [/^mcc$/, (v) => `merchant category ${String(v).padStart(4, '0')}`],
  [/^has_device$/, (v) => (v ? 'a device fingerprint came with it' : 'no device fingerprint')],
  [/^is_small_amount$/, (v) => (v ? 'a small amount (5 or less)' : 'not a small amount')],
  [
    /^(card|customer|device|merchant|terminal)_count_(\d+[mhd])$/,
    (v, [, e, w]) => `${plural(v, 'payment', 'payments')} on this ${ENTITIES[e!]} in ${window(w!)}`,
  ],
  [
    /^(card|customer|device|merchant|terminal)_amount_(\d+[mhd])$/,
    (v, [, e, w]) => `${num(v)} paid ${PAID[e!]} in ${window(w!)}`,
  ],
  [/^customer_history_count$/, (v) => `${plural(v, 'earlier payment', 'earlier payments')} of the customer`],
  [
    /^customer_amount_zscore$/,
    (v) => `${num(Math.abs(v))} standard deviations ${v < 0 ? 'below' : 'above'} the customer's usual amount`,
  ],
  [/^customer_amount_to_median$/, (v) => `${num(v)}× the customer's median amount`],
  [/^customer_amount_to_p95$/, (v) => `${num(v)}× the customer's 95th-percentile amount`],
  [/^customer_hour_share$/, (v) => `${pct(v)} of the customer's payments at this time of day`],
  [
    /^customer_mcc_share$/,
    (v) =>
      v === 0 ? 'a merchant category new to the customer' : `${pct(v)} of the customer's payments in this category`,
  ],
  [
    /^card_new_(\w+)$/,
    (v, [, d]) =>
      v ? `first payment of this card with this ${NOVELTY[d!]}` : `this card has paid with this ${NOVELTY[d!]} before`,
  ],
  [
    /^card_days_since_first_seen$/,
    (v) => (v < 1 ? 'a card first seen today' : `card first seen ${plural(Math.floor(v), 'day', 'days')} ago`),
  ],
  [
    /^customer_new_country$/,
    (v) => (v ? "a country other than the customer's usual one" : "the customer's usual country"),
  ],
  [/^card_seconds_since_previous$/, (v) => `${duration(v)} since the card's previous payment`],
  [/^card_km_from_previous$/, (v) => `${num(v)} km from the card's previous payment`],
  [/^card_kmh_from_previous$/, (v) => `${num(v)} km/h needed to get here since the card's previous payment`],
  [/^customer_home_km$/, (v) => `${num(v)} km from the customer's home`],
  [
    /^card_distinct_merchants_(\w+)$/,
    (v, [, w]) => `${plural(v, 'merchant', 'merchants')} paid by this card in ${window(w!)}`,
  ],
  [
    /^card_small_count_(\w+)$/,
    (v, [, w]) => `${plural(v, 'small payment', 'small payments')} on this card in ${window(w!)}`,
  ],
  [
    /^(merchant|terminal|device)_fraud_rate_(\w+)$/,
    (v, [, e, w]) => `${pct(v)} of this ${ENTITIES[e!]}'s payments in ${window(w!)} reported as fraud`,
  ],
  [
    /^(merchant|terminal|device)_fraud_labels_(\w+)$/,
    (v, [, e, w]) => `${plural(v, 'fraud', 'frauds')} reported on this ${ENTITIES[e!]} in ${window(w!)}`,
  ],
  [/^device_distinct_cards_(\w+)$/, (v, [, w]) => `${plural(v, 'card', 'cards')} on this device in ${window(w!)}`],
  [
    /^payee_distinct_cards_(\w+)$/,
    (v, [, w]) => `${plural(v, 'card', 'cards')} paying this receiving account in ${window(w!)}`,
  ],
  [
    /^payee_distinct_customers_(\w+)$/,
    (v, [, w]) => `${plural(v, 'customer', 'customers')} paying this receiving account in ${window(w!)}`,
  ],
];

/** What a missing (NaN) value of the feature means, in words. */
function missing(name: string): string {
  const entity = /^(device|terminal|payee)_/.exec(name)?.[1];
  if (entity !== undefined) return OPTIONAL[entity]!;
  if (name === 'mcc') return 'no merchant category';
  if (/^card_new_/.test(name)) return `no ${NOVELTY[name.slice('card_new_'.length)] ?? 'value'} on this payment`;
  if (/^customer_(amount_|hour_|mcc_|new_)/.test(name)) return "too little of the customer's history to compare";
  if (/^card_(seconds|km|kmh)_/.test(name)) return 'no earlier payment of this card to compare';
  if (name === 'customer_home_km') return "no location to compare with the customer's home";
  return `${name.replaceAll('_', ' ')} not known`;
}

/**
 * A feature and its value in words, e.g. `terminal_count_1h = 3` → "3 payments on this terminal in the last
 * hour", `terminal_amount_7d = NaN` → "no terminal on this payment". Null for a feature it has no words for.
 */
export function describeFeature(name: string, value: number): string | null {
  if (Number.isNaN(value)) return PHRASES.some(([pattern]) => pattern.test(name)) ? missing(name) : null;
  for (const [pattern, phrase] of PHRASES) {
    const parts = pattern.exec(name);
    if (parts !== null) return phrase(value, parts);
  }
  return null;
}
