import { Channel, EntityKind, LABEL_WINDOWS, VELOCITY_WINDOWS, type EntitySnapshot } from '@argus/contracts';
import { SMALL_AMOUNT_MAJOR, UNITS_PER_MAJOR, unitsToMajor } from './amount.math';
import { distanceKm, localHour } from './geo.math';
import type { FeatureContext } from './feature.context';

export const FeatureFamily = {
  TRANSACTION: 'transaction',
  VELOCITY: 'velocity',
  BASELINE: 'baseline',
  NOVELTY: 'novelty',
  GEOGRAPHY: 'geography',
  CARD_TESTING: 'card_testing',
  LABEL_RISK: 'label_risk',
  NETWORK: 'network',
} as const;
export type FeatureFamily = (typeof FeatureFamily)[keyof typeof FeatureFamily];

/** One feature, defined once: its name (model input), what it means, its window, and how it is computed. */
export interface FeatureDefinition {
  readonly name: string;
  readonly family: FeatureFamily;
  readonly description: string;
  /** Look-back window (`1m` … `30d`), or null for features over the entity's whole remembered history. */
  readonly window: string | null;
  readonly compute: (ctx: FeatureContext) => number;
}

const CHANNEL_CODES: readonly string[] = Object.values(Channel);
const DAY_S = 86_400;

const flag = (value: boolean) => (value ? 1 : 0);

function feature(
  name: string,
  family: FeatureFamily,
  window: string | null,
  description: string,
  compute: (ctx: FeatureContext) => number,
): FeatureDefinition {
  return { name, family, window, description, compute };
}

const transaction: FeatureDefinition[] = [
  feature('amount', 'transaction', null, 'Amount in major units of its currency', (c) => c.amountMajor),
  feature('log_amount', 'transaction', null, 'log10(1 + amount)', (c) => Math.log10(1 + c.amountMajor)),
  feature(
    'local_hour',
    'transaction',
    null,
    'Local solar hour of the transaction (UTC shifted by longitude / 15)',
    (c) => localHour(c.txn.event_time, c.txn.geo?.lon ?? null),
  ),
  feature('day_of_week', 'transaction', null, 'Day of week, UTC (0 = Sunday)', (c) =>
    new Date(c.txn.event_time).getUTCDay(),
  ),
  feature('channel_code', 'transaction', null, `Channel as a category code (${CHANNEL_CODES.join(', ')} = 0…)`, (c) =>
    CHANNEL_CODES.indexOf(c.txn.channel),
  ),
  feature('is_card_present', 'transaction', null, '1 for card-present payments', (c) =>
    flag(c.txn.channel === Channel.CARD_PRESENT),
  ),
  feature('is_ecommerce', 'transaction', null, '1 for e-commerce payments', (c) =>
    flag(c.txn.channel === Channel.ECOMMERCE),
  ),
  feature('mcc', 'transaction', null, 'Merchant category code as a number (NaN when absent)', (c) =>
    c.txn.merchant_category_code === null ? Number.NaN : Number(c.txn.merchant_category_code),
  ),
  feature('has_device', 'transaction', null, '1 when a device fingerprint came with the transaction', (c) =>
    flag(c.txn.device_fingerprint !== null),
  ),
];

const VELOCITY_ENTITIES: readonly { kind: EntityKind; label: string }[] = [
  { kind: EntityKind.CARD, label: 'card' },
  { kind: EntityKind.CUSTOMER, label: 'customer' },
  { kind: EntityKind.DEVICE, label: 'device' },
  { kind: EntityKind.MERCHANT, label: 'merchant' },
  { kind: EntityKind.TERMINAL, label: 'terminal' },
];

/** NaN when the transaction has no such entity (no device, no terminal): "unknown", not "zero". */
function velocityOf(ctx: FeatureContext, kind: EntityKind, w: number): EntitySnapshot['velocity'][number] | null {
  return ctx.snapshot(kind)?.velocity[w] ?? null;
}

const velocity: FeatureDefinition[] = VELOCITY_ENTITIES.flatMap(({ kind, label }) =>
  VELOCITY_WINDOWS.flatMap((window, w) => [
    feature(
      `${label}_count_${window.name}`,
      'velocity',
      window.name,
      `Transactions of this ${label} in the last ${window.name}, this one included`,
      (c) => velocityOf(c, kind, w)?.count ?? Number.NaN,
    ),
    feature(
      `${label}_amount_${window.name}`,
      'velocity',
      window.name,
      `Sum of amounts (major units) of this ${label} in the last ${window.name}, this one included`,
      (c) => {
        const v = velocityOf(c, kind, w);
        return v === null ? Number.NaN : unitsToMajor(v.sumUnits);
      },
    ),
  ]),
);

const baseline: FeatureDefinition[] = [
  feature(
    'customer_history_count',
    'baseline',
    null,
    "Number of the customer's earlier transactions",
    (c) => c.customerHistory,
  ),
  feature(
    'customer_amount_zscore',
    'baseline',
    null,
    "z-score of log amount against the customer's earlier log amounts (NaN under 3 earlier)",
    (c) => {
      const { n, sum, sumSquares } = c.customer.moments[0]!;
      if (n < 3) return Number.NaN;
      const mean = sum / n;
      const variance = Math.max(sumSquares / n - mean * mean, 0);
      const std = Math.max(Math.sqrt(variance), 50); // at least 0.05 decade: a perfectly regular customer is not infinitely surprised
      return (c.units > 0 ? Math.log10(c.amountMajor) * 1000 - mean : 0) / std;
    },
  ),
  feature('customer_amount_to_median', 'baseline', null, "Amount divided by the customer's median amount", (c) =>
    c.customerHistory === 0 ? Number.NaN : c.amountMajor / c.amountQuantile(0.5),
  ),
  feature('customer_amount_to_p95', 'baseline', null, "Amount divided by the customer's 95th percentile amount", (c) =>
    c.customerHistory === 0 ? Number.NaN : c.amountMajor / c.amountQuantile(0.95),
  ),
  feature(
    'customer_hour_share',
    'baseline',
    null,
    "Share of the customer's earlier transactions within an hour of this local hour (low = unusual time)",
    (c) => c.hourShare,
  ),
  feature(
    'customer_mcc_share',
    'baseline',
    null,
    "Share of the customer's earlier transactions in this merchant category (0 = new category)",
    (c) => c.mccShare,
  ),
];

const NOVELTY_DIMENSIONS = ['merchant', 'device', 'country', 'channel', 'terminal'] as const;
const presentFor: Record<(typeof NOVELTY_DIMENSIONS)[number], (c: FeatureContext) => boolean> = {
  merchant: () => true,
  device: (c) => c.txn.device_fingerprint !== null,
  country: (c) => c.country !== null,
  channel: () => true,
  terminal: (c) => c.txn.terminal_id !== null,
};

const novelty: FeatureDefinition[] = [
  ...NOVELTY_DIMENSIONS.map((dimension, i) =>
    feature(
      `card_new_${dimension}`,
      'novelty',
      null,
      `1 the first time this card is used with this ${dimension} (NaN when the transaction has none)`,
      (c) => (presentFor[dimension](c) ? flag(c.card.novel[i]!) : Number.NaN),
    ),
  ),
  feature(
    'card_days_since_first_seen',
    'novelty',
    null,
    'Days since the card was first seen (0 for a new card, and for an event older than the first one)',
    (c) => Math.max(0, c.txn.event_time - c.card.firstSeen) / 1000 / DAY_S,
  ),
  feature(
    'customer_new_country',
    'novelty',
    null,
    "1 when the country differs from the customer's usual one (NaN without a country or history)",
    (c) => {
      const home = c.homeCountry;
      return c.country === null || home === null ? Number.NaN : flag(c.country !== home);
    },
  ),
];

const geography: FeatureDefinition[] = [
  feature(
    'card_seconds_since_previous',
    'geography',
    null,
    "Seconds since the card's previous transaction (NaN for its first)",
    (c) => (c.card.previous === null ? Number.NaN : Math.abs(c.txn.event_time - c.card.previous.time) / 1000),
  ),
  feature(
    'card_km_from_previous',
    'geography',
    null,
    "Distance (km) from the card's previous located transaction",
    (c) => c.travel?.km ?? Number.NaN,
  ),
  feature(
    'card_kmh_from_previous',
    'geography',
    null,
    'Speed (km/h) needed to get here from the previous located transaction (impossible travel)',
    (c) => {
      const travel = c.travel;
      if (travel === null) return Number.NaN;
      return travel.km / (Math.max(travel.seconds, 60) / 3600); // at least a minute apart: GPS noise is not a jet
    },
  ),
  feature(
    'customer_home_km',
    'geography',
    null,
    "Distance (km) from the customer's home cell (most frequent half-degree cell)",
    (c) => {
      const home = c.home;
      return home === null || c.txn.geo === null ? Number.NaN : distanceKm(home, c.txn.geo);
    },
  ),
];

const cardTesting: FeatureDefinition[] = [
  feature('is_small_amount', 'card_testing', null, `Amount at or under ${SMALL_AMOUNT_MAJOR} major units`, (c) =>
    flag(c.units <= SMALL_AMOUNT_MAJOR * UNITS_PER_MAJOR),
  ),
  feature(
    'card_distinct_merchants_10m',
    'card_testing',
    '10m',
    'Distinct merchants this card paid in the last 10 minutes',
    (c) => c.card.distinct[0]![0]!,
  ),
  feature(
    'card_distinct_merchants_1h',
    'card_testing',
    '1h',
    'Distinct merchants this card paid in the last hour',
    (c) => c.card.distinct[0]![1]!,
  ),
  ...[0, 1, 2, 3].map((w) =>
    feature(
      `card_small_count_${VELOCITY_WINDOWS[w]!.name}`,
      'card_testing',
      VELOCITY_WINDOWS[w]!.name,
      `Small-amount transactions of this card in the last ${VELOCITY_WINDOWS[w]!.name}`,
      (c) => c.card.velocity[w]!.smallCount,
    ),
  ),
];

const LABEL_ENTITIES = [
  { kind: EntityKind.MERCHANT, label: 'merchant' },
  { kind: EntityKind.TERMINAL, label: 'terminal' },
  { kind: EntityKind.DEVICE, label: 'device' },
] as const;
/** Velocity window with the same length as each label window (1d, 7d, 30d). */
const MATCHING_VELOCITY = LABEL_WINDOWS.map((lw) => VELOCITY_WINDOWS.findIndex((vw) => vw.name === lw.name));

const labelRisk: FeatureDefinition[] = LABEL_ENTITIES.flatMap(({ kind, label }) => [
  ...LABEL_WINDOWS.map((window, w) =>
    feature(
      `${label}_fraud_rate_${window.name}`,
      'label_risk',
      window.name,
      `FRAUD labels known by now and reported in the last ${window.name} for this ${label}, per transaction of the ${label} in that window`,
      (c) => {
        const s = c.snapshot(kind);
        if (s === undefined) return Number.NaN;
        return s.fraudLabels[w]! / Math.max(1, s.velocity[MATCHING_VELOCITY[w]!]!.count);
      },
    ),
  ),
  feature(
    `${label}_fraud_labels_30d`,
    'label_risk',
    '30d',
    `FRAUD labels known by now and reported in the last 30 days for this ${label}`,
    (c) => c.snapshot(kind)?.fraudLabels[2] ?? Number.NaN,
  ),
]);

const network: FeatureDefinition[] = [
  ...['1h', '1d', '7d'].map((window, w) =>
    feature(
      `device_distinct_cards_${window}`,
      'network',
      window,
      `Distinct cards on this device in the last ${window}`,
      (c) => c.snapshot(EntityKind.DEVICE)?.distinct[0]![w] ?? Number.NaN,
    ),
  ),
  ...['1h', '1d', '7d'].map((window, w) =>
    feature(
      `payee_distinct_cards_${window}`,
      'network',
      window,
      `Distinct cards paying this receiving account in the last ${window} (fan-in)`,
      (c) => c.snapshot(EntityKind.PAYEE)?.distinct[0]![w] ?? Number.NaN,
    ),
  ),
  ...['1d', '7d'].map((window, w) =>
    feature(
      `payee_distinct_customers_${window}`,
      'network',
      window,
      `Distinct customers paying this receiving account in the last ${window}`,
      (c) => c.snapshot(EntityKind.PAYEE)?.distinct[1]![w] ?? Number.NaN,
    ),
  ),
];

/** Every feature, in model input order. Append new features at the end; never reorder. */
export const FEATURE_CATALOG: readonly FeatureDefinition[] = [
  ...transaction,
  ...velocity,
  ...baseline,
  ...novelty,
  ...geography,
  ...cardTesting,
  ...labelRisk,
  ...network,
];

export const FEATURE_NAMES: readonly string[] = FEATURE_CATALOG.map((f) => f.name);
