import { EntityKind, type EntitySnapshot, type NormalizedTransaction } from '@argus/contracts';
import { amountBinCentre, unitsToMajor } from './amount.math';
import { cellCentre, decodeLocation, distanceKm, localHour, type LatLon } from './geo.math';
import { ABSENT, countryOf } from './state-event.builder';

/** Index of each customer histogram in the snapshot (see CUSTOMER_HISTOGRAMS). */
const HOUR = 0;
const AMOUNT = 1;
const MCC = 2;
const CELL = 3;
const COUNTRY = 4;

function total(histogram: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const count of Object.values(histogram)) sum += count;
  return sum;
}

/** The most frequent bin, ties to the smallest key (so the answer never depends on iteration order). */
function mode(histogram: Readonly<Record<string, number>>, exclude: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [bin, count] of Object.entries(histogram)) {
    if (bin === exclude) continue;
    if (count > bestCount || (count === bestCount && best !== null && bin < best)) {
      best = bin;
      bestCount = count;
    }
  }
  return best;
}

/** Amount (major units) below which `fraction` of the customer's past amounts fall, from the amount histogram. */
function quantile(histogram: Readonly<Record<string, number>>, fraction: number): number {
  const bins = Object.entries(histogram)
    .map(([bin, count]) => [Number(bin), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const n = total(histogram);
  let seen = 0;
  for (const [bin, count] of bins) {
    seen += count;
    if (seen >= fraction * n) return amountBinCentre(bin);
  }
  return Number.NaN;
}

/**
 * Everything a feature reads for one transaction: the transaction, its amount, and the snapshot of each entity
 * it touched. Derived values several features share (the customer's home, amount quantiles) are computed once.
 */
export class FeatureContext {
  readonly amountMajor: number;
  private readonly byKind = new Map<EntityKind, EntitySnapshot>();
  private cache = new Map<string, number | LatLon | string | null>();

  constructor(
    readonly txn: NormalizedTransaction,
    readonly units: number,
    snapshots: readonly EntitySnapshot[],
  ) {
    this.amountMajor = unitsToMajor(units);
    for (const snapshot of snapshots) this.byKind.set(snapshot.kind, snapshot);
  }

  snapshot(kind: EntityKind): EntitySnapshot | undefined {
    return this.byKind.get(kind);
  }

  get card(): EntitySnapshot {
    return this.byKind.get(EntityKind.CARD)!;
  }

  get customer(): EntitySnapshot {
    return this.byKind.get(EntityKind.CUSTOMER)!;
  }

  /** Number of the customer's earlier transactions. */
  get customerHistory(): number {
    return this.customer.moments[0]!.n;
  }

  private memo<T extends number | LatLon | string | null>(key: string, compute: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }

  /** Centre of the customer's most frequent half-degree cell: their home, as far as Argus can tell. */
  get home(): LatLon | null {
    return this.memo('home', () => {
      const cell = mode(this.customer.histograms[CELL]!, ABSENT);
      return cell === null ? null : cellCentre(cell);
    });
  }

  get homeCountry(): string | null {
    return this.memo('homeCountry', () => mode(this.customer.histograms[COUNTRY]!, ABSENT));
  }

  amountQuantile(fraction: number): number {
    return this.memo(`q${fraction}`, () => quantile(this.customer.histograms[AMOUNT]!, fraction));
  }

  /** Share of the customer's earlier transactions within an hour (either side) of this one's local hour. */
  get hourShare(): number {
    return this.memo('hourShare', () => {
      const histogram = this.customer.histograms[HOUR]!;
      const n = total(histogram);
      if (n === 0) return Number.NaN;
      const hour = localHour(this.txn.event_time, this.txn.geo?.lon ?? null);
      let near = 0;
      for (const h of [hour - 1, hour, hour + 1]) near += histogram[String((h + 24) % 24)] ?? 0;
      return near / n;
    });
  }

  /** Share of the customer's earlier transactions in this merchant category (NaN without an MCC or history). */
  get mccShare(): number {
    return this.memo('mccShare', () => {
      const histogram = this.customer.histograms[MCC]!;
      const n = total(histogram);
      const mcc = this.txn.merchant_category_code;
      if (n === 0 || mcc === null) return Number.NaN;
      return (histogram[mcc] ?? 0) / n;
    });
  }

  /** Distance (km) and elapsed time (s) since the card's previous located transaction. */
  get travel(): { km: number; seconds: number } | null {
    const previous = this.card.previous;
    if (previous === null || previous.location === null || previous.locatedTime === null || this.txn.geo === null) {
      return null;
    }
    return {
      km: distanceKm(decodeLocation(previous.location), this.txn.geo),
      seconds: Math.abs(this.txn.event_time - previous.locatedTime) / 1000,
    };
  }

  get country(): string | null {
    return countryOf(this.txn);
  }
}
