import { Rng, WeightedTable } from '../random/seeded.random';
import type { DeviceFactory } from './device.factory';
import { ipAddressIn } from './device.factory';
import { accountId, cardId, customerId, testPan } from './entity-ids.format';
import { jitter } from './geo.math';
import { MOBILE_MCCS, ONLINE_CATEGORIES, STORE_CATEGORIES } from './merchant-category.data';
import { storeKey } from './merchant-universe.builder';
import { CITIES, countryInfo } from './places.data';
import type { Card, Customer, Device, MerchantChoice, MerchantUniverse, Place, ReceivingAccount } from './world.types';

const HOME_RADIUS_KM = 10;
const SECOND_CARD_SHARE = 0.15;
const NIGHT_OWL_SHARE = 0.08;
/** Hours with almost no activity still see some (a late taxi, a night shift). */
const HOUR_FLOOR = 0.02;
const ONLINE_ABROAD_SHARE = 0.2;
const HAS_PAYEES_SHARE = 0.6;

export interface PopulationContext {
  readonly seed: number;
  readonly homes: readonly number[];
  readonly merchants: MerchantUniverse;
  readonly cityPlaces: readonly Place[];
  /** Outside accounts customers pay (landlords, utilities, friends at other banks), by country. */
  readonly payeesByCountry: ReadonlyMap<string, readonly ReceivingAccount[]>;
  readonly devices: DeviceFactory;
}

/** City index of each customer's home, drawn by the cities' home weights. */
export function drawHomes(seed: number, count: number): number[] {
  const table = new WeightedTable(CITIES.map((c) => c.home));
  return Array.from({ length: count }, (_, i) => table.draw(Rng.derive(seed, 'home', i)));
}

function circularHourDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}

function hourProfile(rng: Rng): { weights: Float64Array; mean: number } {
  const peak = rng.chance(NIGHT_OWL_SHARE) ? rng.between(21, 24) : Math.min(21, Math.max(8, 14.5 + 2.5 * rng.normal()));
  const spread = rng.between(2, 4.5);
  const weights = new Float64Array(24);
  let max = 0;
  for (let h = 0; h < 24; h++) {
    const z = circularHourDistance(h + 0.5, peak) / spread;
    weights[h] = HOUR_FLOOR + Math.exp(-0.5 * z * z);
    max = Math.max(max, weights[h]);
  }
  let sum = 0;
  for (let h = 0; h < 24; h++) {
    weights[h] /= max;
    sum += weights[h];
  }
  return { weights, mean: sum / 24 };
}

/** Picks up to `count` distinct merchants from `from`, favourites first (weights fall with rank). */
function favourites(rng: Rng, from: MerchantChoice | undefined, count: number, into: Map<number, number>): void {
  if (from === undefined) return;
  for (let k = 0; k < count * 3 && count > 0; k++) {
    const merchant = from.merchants[from.table.draw(rng)];
    if (into.has(merchant)) continue;
    into.set(merchant, rng.between(0.3, 1) / (into.size + 1));
    count -= 1;
  }
}

function toChoice(picked: Map<number, number>): MerchantChoice {
  const merchants = [...picked.keys()];
  return { merchants, table: new WeightedTable(merchants.map((m) => picked.get(m) as number)) };
}

const OPTIONAL_HABITS = STORE_CATEGORIES.filter((c) => c.mcc !== '5411' && c.everyday > 0);
const OPTIONAL_HABIT_TABLE = new WeightedTable(OPTIONAL_HABITS.map((c) => c.everyday));
/** Online categories people use week in, week out (not airlines or charities). */
const DAILY_ONLINE_MCCS = new Set(ONLINE_CATEGORIES.filter((c) => c.everyday >= 1).map((c) => c.mcc));

/** Groceries, plus three to six other categories the customer keeps buying in. */
function everydayMccs(rng: Rng): string[] {
  const mccs = new Set(['5411']);
  const wanted = rng.intBetween(4, 7);
  for (let k = 0; k < 40 && mccs.size < wanted; k++) mccs.add(OPTIONAL_HABITS[OPTIONAL_HABIT_TABLE.draw(rng)].mcc);
  return [...mccs];
}

function storeHabits(rng: Rng, ctx: PopulationContext, homeCity: number, mccs: readonly string[]): MerchantChoice {
  const picked = new Map<number, number>();
  for (const mcc of mccs)
    favourites(rng, ctx.merchants.stores.get(storeKey(homeCity, mcc)), rng.intBetween(1, 3), picked);
  return toChoice(picked);
}

function onlineHabits(rng: Rng, ctx: PopulationContext, country: string): MerchantChoice {
  const picked = new Map<number, number>();
  const domestic = ctx.merchants.onlineByCountry.get(country);
  const markets = [...ctx.merchants.onlineByCountry.values()];
  const wanted = rng.intBetween(2, 6);
  for (let k = 0; k < wanted; k++) {
    const from = rng.chance(ONLINE_ABROAD_SHARE) || domestic === undefined ? rng.pick(markets) : domestic;
    favourites(rng, from, 1, picked);
  }
  for (const m of [...picked.keys()]) {
    if (!DAILY_ONLINE_MCCS.has(ctx.merchants.merchants[m].mcc) && picked.size > 1) picked.delete(m);
  }
  return toChoice(picked);
}

function mobileHabits(rng: Rng, ctx: PopulationContext, country: string): MerchantChoice {
  const picked = new Map<number, number>();
  for (const mcc of rng.sample(MOBILE_MCCS, rng.intBetween(1, 2))) {
    const sellers = ctx.merchants.onlineByMcc.get(mcc);
    const local = sellers?.merchants.filter((m) => ctx.merchants.merchants[m].country === country) ?? [];
    if (local.length > 0) picked.set(rng.pick(local), rng.between(0.3, 1));
    else favourites(rng, sellers, 1, picked);
  }
  return toChoice(picked);
}

function payees(rng: Rng, ctx: PopulationContext, self: number): ReceivingAccount[] {
  if (!rng.chance(HAS_PAYEES_SHARE)) return [];
  const country = CITIES[ctx.homes[self]].country;
  const outside = ctx.payeesByCountry.get(country) ?? [];
  return Array.from({ length: rng.intBetween(1, 2) }, () => {
    if (outside.length > 0 && rng.chance(0.5)) return rng.pick(outside);
    const other = (self + 1 + rng.int(Math.max(1, ctx.homes.length - 1))) % ctx.homes.length;
    return { id: accountId(other), country: CITIES[ctx.homes[other]].country };
  });
}

/**
 * Customer `index`: home, cards, devices, how often and how much they spend, at which hours, where.
 * Everything is drawn from the customer's own random stream, which then drives their transactions.
 */
export function buildCustomer(index: number, cardsSoFar: number, ctx: PopulationContext): Customer {
  const rng = Rng.derive(ctx.seed, 'customer', index);
  const homeCity = ctx.homes[index];
  const centre = ctx.cityPlaces[homeCity];
  const home: Place = { ...centre, ...jitter(centre, HOME_RADIUS_KM, rng.next(), rng.next()) };
  const cards: Card[] = Array.from({ length: rng.chance(SECOND_CARD_SHARE) ? 2 : 1 }, (_, k) => ({
    index: cardsSoFar + k,
    id: cardId(cardsSoFar + k),
    pan: testPan(cardsSoFar + k),
  }));
  const phone = ctx.devices.device(home.country, rng);
  const broadband = ipAddressIn(home.country, rng);
  const devices: Device[] = [phone];
  for (let k = rng.int(3); k > 0; k--) devices.push(ctx.devices.device(home.country, rng, broadband));
  const hours = hourProfile(rng);
  const mccs = everydayMccs(rng);
  const paying = payees(rng, ctx, index);
  const mobile = mobileHabits(rng, ctx, home.country);
  const kindWeights = [
    rng.between(0.45, 0.75),
    rng.between(0.12, 0.4),
    mobile.merchants.length > 0 ? rng.between(0, 0.1) : 0,
    rng.between(0.01, 0.06),
    paying.length > 0 ? rng.between(0.01, 0.05) : 0,
  ];
  return {
    index,
    id: customerId(index),
    accountId: accountId(index),
    home,
    homeCity,
    currency: countryInfo(home.country).currency,
    cards,
    devices,
    dailyRate: Math.min(8, Math.max(0.08, rng.lognormal(0.72, 0.55))),
    medianUsd: Math.min(200, Math.max(4, rng.lognormal(22, 0.45))),
    amountSigma: rng.between(0.45, 0.9),
    hourWeights: hours.weights,
    hourWeightMean: hours.mean,
    kindTable: new WeightedTable(kindWeights),
    everydayMccs: mccs,
    stores: storeHabits(rng, ctx, homeCity, mccs),
    online: onlineHabits(rng, ctx, home.country),
    mobile,
    atms: rng.sample(ctx.merchants.atmsByCity[homeCity], rng.intBetween(1, 2)),
    payees: paying,
    tag: 'baseline',
    closedAt: Number.POSITIVE_INFINITY,
    trip: null,
    rng,
  };
}
