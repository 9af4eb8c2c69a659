import { LabelValue, type Transaction } from '@argus/contracts';
import { simulate } from '../engine/simulation.engine';
import type { SimulatedRow } from '../engine/simulated-row.types';
import { distanceKm } from '../world/geo.math';
import { minorToUsd } from '../world/places.data';
import { CARD_TESTING } from './card-testing.scenario';
import { CUSTOMER_ANOMALY } from './customer-anomaly.scenario';
import { MULE_FAN_IN } from './mule-fan-in.scenario';
import type { ScenarioName } from './scenario-name.types';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const DAYS = 45;

// One run with every scenario, rich in fraud so each signature has many episodes to be checked on.
let rows: SimulatedRow[];
let start: number;

const usd = (t: Transaction): number => minorToUsd(t.amount_minor, t.currency);
const of = (scenario: ScenarioName, fraud?: boolean) =>
  rows.filter((r) => r.scenario === scenario && (fraud === undefined || r.fraud === fraud)).map((r) => r.transaction);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Habits {
  readonly medianUsd: number;
  readonly home: { lat: number; lon: number; country: string };
  readonly devices: ReadonlySet<string>;
  readonly rows: number;
}

/** What a customer's own baseline transactions show: usual amount, where they live, their devices. */
let habits: Map<string, Habits>;

function buildHabits(): Map<string, Habits> {
  const result = new Map<string, Habits>();
  for (const [customer, own] of groupBy(of('baseline'), (t) => t.customer_id)) {
    const remote = own.filter((t) => t.device_fingerprint !== null && t.channel !== 'CARD_PRESENT');
    // E-commerce rows are located at the customer's home.
    const located = remote.length > 0 ? remote[0].geo! : own[0].geo!;
    result.set(customer, {
      medianUsd: median(own.map(usd)),
      home: { lat: located.lat, lon: located.lon, country: located.country! },
      devices: new Set(own.map((t) => t.device_fingerprint).filter((d): d is string => d !== null)),
      rows: own.length,
    });
  }
  return result;
}

/** km/h between consecutive transactions of each card, for the pairs that match `pick`. */
function speeds(transactions: readonly SimulatedRow[], pick: (a: SimulatedRow, b: SimulatedRow) => boolean) {
  const found: Array<{ kmh: number; km: number; b: SimulatedRow }> = [];
  for (const card of groupBy(transactions, (r) => r.transaction.card_id ?? '').values()) {
    for (let i = 1; i < card.length; i++) {
      const [a, b] = [card[i - 1], card[i]];
      if (!pick(a, b)) continue;
      const km = distanceKm(a.transaction.geo!, b.transaction.geo!);
      const hours = Math.max(1 / 3600, (b.transaction.event_time - a.transaction.event_time) / HOUR_MS);
      found.push({ kmh: km / hours, km, b });
    }
  }
  return found;
}

beforeAll(() => {
  const simulation = simulate({ customers: 3000, days: DAYS, seed: 21, fraudRate: 0.04 });
  start = simulation.options.start;
  rows = [...simulation];
  habits = buildHabits();
});

describe('fraud scenario signatures', () => {
  it('card testing: many small amounts across distinct merchants within minutes, then a large one', () => {
    const cards = groupBy(of('card_testing', true), (t) => t.card_id!);
    expect(cards.size).toBeGreaterThanOrEqual(10);
    for (const txns of cards.values()) {
      const small = txns.filter((t) => t.amount_minor <= 500 && t.currency !== 'JPY');
      const first = small[0].event_time;
      const last = small[small.length - 1].event_time;
      expect(small.length).toBeGreaterThanOrEqual(CARD_TESTING.probes[0]);
      expect(new Set(small.map((t) => t.merchant_id)).size).toBeGreaterThanOrEqual(CARD_TESTING.probeMerchants[0]);
      expect(last - first).toBeLessThanOrEqual(CARD_TESTING.probeWindowMinutes[1] * MINUTE_MS);
      const large = txns.filter((t) => t.event_time > last && usd(t) >= 100);
      expect(large.length).toBeGreaterThanOrEqual(1);
      expect(large[0].event_time - last).toBeLessThanOrEqual(2 * HOUR_MS + MINUTE_MS);
      expect(new Set(txns.map((t) => t.device_fingerprint)).size).toBe(1);
    }
    // The rings reuse their devices on many cards: distinct cards per device.
    const byDevice = groupBy(of('card_testing', true), (t) => t.device_fingerprint!);
    expect(
      Math.max(...[...byDevice.values()].map((t) => new Set(t.map((x) => x.card_id)).size)),
    ).toBeGreaterThanOrEqual(2);
  });

  it('compromised terminal: many distinct cards at one terminal within days, all later labelled fraud', () => {
    const fraudRows = rows.filter((r) => r.scenario === 'compromised_terminal');
    const terminals = groupBy(fraudRows, (r) => r.transaction.terminal_id!);
    expect(terminals.size).toBeGreaterThanOrEqual(2);
    for (const at of terminals.values()) {
      const times = at.map((r) => r.transaction.event_time);
      expect(new Set(at.map((r) => r.transaction.card_id)).size).toBeGreaterThanOrEqual(8);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(11 * DAY_MS);
      for (const r of at) {
        expect(r.transaction.channel).toBe('CARD_PRESENT');
        expect(r.label!.label).toBe(LabelValue.FRAUD);
        expect(r.label!.reported_at).toBeGreaterThan(r.transaction.event_time);
      }
    }
    // The shop's genuine customers keep paying there, untouched.
    const genuine = rows.filter((r) => !r.fraud && terminals.has(r.transaction.terminal_id ?? ''));
    expect(genuine.length).toBeGreaterThan(0);
    expect(genuine.every((r) => r.label?.label !== LabelValue.FRAUD)).toBe(true);
  });

  it('stolen card: used far from home, right after the holder paid at home (impossible travel)', () => {
    const stolen = of('stolen_card', true);
    const victims = new Set(stolen.map((t) => t.customer_id));
    expect(victims.size).toBeGreaterThanOrEqual(10);
    for (const t of stolen) {
      const home = habits.get(t.customer_id)!.home;
      expect(distanceKm(home, t.geo!)).toBeGreaterThanOrEqual(800 - 50);
    }
    const jumps = speeds(
      rows.filter((r) => victims.has(r.transaction.customer_id)),
      (a, b) => !a.fraud && b.scenario === 'stolen_card',
    );
    const impossible = new Set(jumps.filter((j) => j.kmh > 800).map((j) => j.b.transaction.customer_id));
    expect(impossible.size).toBeGreaterThanOrEqual(victims.size * 0.6);
  });

  it('account takeover: a device the customer never used, another country, amounts draining the account', () => {
    const episodes = groupBy(of('account_takeover', true), (t) => t.customer_id);
    expect(episodes.size).toBeGreaterThanOrEqual(10);
    for (const [customer, txns] of episodes) {
      const own = habits.get(customer)!;
      for (const t of txns) {
        expect(own.devices.has(t.device_fingerprint!)).toBe(false);
        expect(t.geo!.country).not.toBe(own.home.country);
      }
      expect(txns.reduce((sum, t) => sum + usd(t), 0)).toBeGreaterThanOrEqual(8 * own.medianUsd);
      expect(Math.max(...txns.map(usd))).toBeGreaterThanOrEqual(4 * own.medianUsd);
      expect(txns[txns.length - 1].event_time - txns[0].event_time).toBeLessThanOrEqual(6 * HOUR_MS);
    }
  });

  it('synthetic identity: weeks of small good behaviour, then a burst of large payments within days', () => {
    const identities = groupBy(of('synthetic_identity'), (t) => t.customer_id);
    expect(identities.size).toBeGreaterThanOrEqual(5);
    for (const txns of identities.values()) {
      const burst = rows.filter((r) => r.fraud && r.transaction.customer_id === txns[0].customer_id);
      const firstBurst = burst[0].transaction.event_time;
      const buildUp = txns.filter((t) => t.event_time < firstBurst);
      expect(firstBurst - start).toBeGreaterThanOrEqual(0.5 * DAYS * DAY_MS);
      expect(buildUp.length).toBeGreaterThanOrEqual(8);
      expect(median(buildUp.map(usd))).toBeLessThanOrEqual(40);
      expect(burst.length).toBeGreaterThanOrEqual(6);
      expect(burst[burst.length - 1].transaction.event_time - firstBurst).toBeLessThanOrEqual(5 * DAY_MS);
      expect(median(burst.map((r) => usd(r.transaction)))).toBeGreaterThanOrEqual(10 * median(buildUp.map(usd)));
      // The identity disappears after its bust-out.
      expect(Math.max(...txns.map((t) => t.event_time))).toBeLessThanOrEqual(
        burst[burst.length - 1].transaction.event_time + DAY_MS,
      );
      expect(buildUp.every((t) => rows.find((r) => r.transaction === t)!.label?.label !== LabelValue.FRAUD)).toBe(true);
    }
  });

  it("customer anomaly: amounts several times the customer's median", () => {
    const anomalies = of('customer_anomaly', true).filter((t) => habits.get(t.customer_id)!.rows >= 5);
    expect(anomalies.length).toBeGreaterThanOrEqual(30);
    const ratios = anomalies.map((t) => usd(t) / habits.get(t.customer_id)!.medianUsd);
    expect(median(ratios)).toBeGreaterThanOrEqual(CUSTOMER_ANOMALY.medianMultiple[0]);
    expect(ratios.filter((r) => r >= 2.5).length / ratios.length).toBeGreaterThanOrEqual(0.95);
  });

  it('mule fan-in: many distinct customers pay one receiving account within days, none had paid it before', () => {
    const mules = groupBy(of('mule_fan_in', true), (t) => t.merchant_id);
    expect(mules.size).toBeGreaterThanOrEqual(3);
    for (const [mule, txns] of mules) {
      const senders = (from: number) =>
        new Set(
          txns
            .filter((t) => t.event_time >= from && t.event_time < from + (MULE_FAN_IN.spanDays[1] + 1) * DAY_MS)
            .map((t) => t.customer_id),
        );
      expect(Math.max(...txns.map((t) => senders(t.event_time).size))).toBeGreaterThanOrEqual(MULE_FAN_IN.victims[0]);
      for (const t of txns) {
        expect(t.payment_method).toBe('ACCOUNT_TRANSFER');
        expect(t.account_id).toBe(t.card_id);
      }
      expect(of('baseline').some((t) => t.merchant_id === mule)).toBe(false);
    }
  });
});

describe('legitimate surprises', () => {
  it('are labelled LEGITIMATE', () => {
    for (const scenario of ['travel', 'new_category', 'large_purchase'] as const) {
      const surprise = rows.filter((r) => r.scenario === scenario);
      expect(surprise.length).toBeGreaterThan(20);
      expect(surprise.every((r) => !r.fraud && r.label?.label === LabelValue.LEGITIMATE)).toBe(true);
    }
  });

  it('travel: abroad and far from home, but never faster than an airliner between two genuine payments', () => {
    const trips = of('travel');
    expect(trips.filter((t) => t.geo!.country !== habits.get(t.customer_id)?.home.country).length).toBeGreaterThan(20);
    const genuine = rows.filter((r) => !r.fraud);
    const far = speeds(genuine, () => true).filter((j) => j.km > 300);
    expect(far.length).toBeGreaterThan(20);
    expect(Math.max(...far.map((j) => j.kmh))).toBeLessThan(900);
  });

  it("large purchase: several times the customer's usual amount", () => {
    const large = of('large_purchase').filter((t) => habits.get(t.customer_id)!.rows >= 5);
    const ratios = large.map((t) => usd(t) / habits.get(t.customer_id)!.medianUsd);
    expect(median(ratios)).toBeGreaterThanOrEqual(4);
  });

  it('new category: a merchant category the customer had not used before', () => {
    const fresh = groupBy(of('new_category'), (t) => t.customer_id);
    expect(fresh.size).toBeGreaterThan(10);
    for (const [customer, txns] of fresh) {
      const before = of('baseline').filter((t) => t.customer_id === customer && t.event_time < txns[0].event_time);
      const used = new Set(before.map((t) => t.merchant_category_code));
      expect(used.has(txns[0].merchant_category_code)).toBe(false);
    }
  });
});
