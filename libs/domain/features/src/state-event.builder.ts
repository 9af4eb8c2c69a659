import {
  EntityKind,
  PaymentMethod,
  type EntityRef,
  type EntityUpdate,
  type NormalizedTransaction,
  type StateEvent,
} from '@argus/contracts';
import { amountBin, amountUnits, quantisedLogAmount, SMALL_AMOUNT_MAJOR, UNITS_PER_MAJOR } from './amount.math';
import { encodeLocation, geoCell, localHour } from './geo.math';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Stands for "no value" where a request needs one (the features then say NaN). */
export const ABSENT = '∅';

/** Distinct-count windows, by request; the feature catalog reads them in this order. */
export const CARD_MERCHANT_WINDOWS_MS = [10 * MINUTE, HOUR] as const;
export const DEVICE_CARD_WINDOWS_MS = [HOUR, DAY, 7 * DAY] as const;
export const PAYEE_CARD_WINDOWS_MS = [HOUR, DAY, 7 * DAY] as const;
export const PAYEE_CUSTOMER_WINDOWS_MS = [DAY, 7 * DAY] as const;

/** Card novelty dimensions, in request order. */
export const CARD_NOVELTY = ['merchant', 'device', 'country', 'channel', 'terminal'] as const;
/** Customer histograms, in request order. */
export const CUSTOMER_HISTOGRAMS = ['hour', 'amount', 'mcc', 'cell', 'country'] as const;

export interface StateEventOptions {
  /** Decimal places of a currency (ISO 4217); the caller passes @argus/transaction's table. */
  readonly currencyExponent: (currency: string) => number | undefined;
}

/** The receiving account of a transfer: the `payee_account` attribute, else the merchant of an account transfer. */
export function payeeOf(txn: NormalizedTransaction): string | null {
  const explicit = txn.attributes['payee_account'];
  if (explicit !== undefined && explicit !== '') return explicit;
  return txn.payment_method === PaymentMethod.ACCOUNT_TRANSFER ? txn.merchant_id : null;
}

export function countryOf(txn: NormalizedTransaction): string | null {
  return txn.geo?.country ?? txn.merchant_country ?? null;
}

export function exponentOf(txn: NormalizedTransaction, options: StateEventOptions): number {
  return options.currencyExponent(txn.currency) ?? 2;
}

/**
 * What one transaction asks of the feature state: for each entity it touches, the counters to move and the
 * memories to read. The feature catalog reads the snapshots back in the same order.
 */
export function buildStateEvent(txn: NormalizedTransaction, options: StateEventOptions): StateEvent {
  const units = amountUnits(txn.amount_minor, exponentOf(txn, options));
  const small = units <= SMALL_AMOUNT_MAJOR * UNITS_PER_MAJOR;
  const base = { amountUnits: units, small };
  const country = countryOf(txn);
  const entities: EntityUpdate[] = [
    {
      kind: EntityKind.CARD,
      id: txn.card_id,
      ...base,
      distinct: [{ dimension: 'merchant', member: txn.merchant_id, windowsMs: CARD_MERCHANT_WINDOWS_MS }],
      novelty: [
        { dimension: 'merchant', value: txn.merchant_id },
        { dimension: 'device', value: txn.device_fingerprint ?? ABSENT },
        { dimension: 'country', value: country ?? ABSENT },
        { dimension: 'channel', value: txn.channel },
        { dimension: 'terminal', value: txn.terminal_id ?? ABSENT },
      ],
      previous: { location: txn.geo === null ? null : encodeLocation(txn.geo) },
    },
    {
      kind: EntityKind.CUSTOMER,
      id: txn.customer_id,
      ...base,
      histograms: [
        { name: 'hour', bin: String(localHour(txn.event_time, txn.geo?.lon ?? null)) },
        { name: 'amount', bin: String(amountBin(units)) },
        { name: 'mcc', bin: txn.merchant_category_code ?? ABSENT },
        { name: 'cell', bin: txn.geo === null ? ABSENT : geoCell(txn.geo) },
        { name: 'country', bin: country ?? ABSENT },
      ],
      moments: [{ name: 'logamt', value: quantisedLogAmount(units) }],
    },
    { kind: EntityKind.MERCHANT, id: txn.merchant_id, ...base, labels: true },
  ];
  const labelTargets: EntityRef[] = [{ kind: EntityKind.MERCHANT, id: txn.merchant_id }];
  if (txn.terminal_id !== null) {
    entities.push({ kind: EntityKind.TERMINAL, id: txn.terminal_id, ...base, labels: true });
    labelTargets.push({ kind: EntityKind.TERMINAL, id: txn.terminal_id });
  }
  if (txn.device_fingerprint !== null) {
    entities.push({
      kind: EntityKind.DEVICE,
      id: txn.device_fingerprint,
      ...base,
      labels: true,
      distinct: [{ dimension: 'card', member: txn.card_id, windowsMs: DEVICE_CARD_WINDOWS_MS }],
    });
    labelTargets.push({ kind: EntityKind.DEVICE, id: txn.device_fingerprint });
  }
  const payee = payeeOf(txn);
  if (payee !== null) {
    entities.push({
      kind: EntityKind.PAYEE,
      id: payee,
      ...base,
      distinct: [
        { dimension: 'card', member: txn.card_id, windowsMs: PAYEE_CARD_WINDOWS_MS },
        { dimension: 'customer', member: txn.customer_id, windowsMs: PAYEE_CUSTOMER_WINDOWS_MS },
      ],
    });
  }
  return { transactionId: txn.transaction_id, eventTime: txn.event_time, entities, labelTargets };
}
