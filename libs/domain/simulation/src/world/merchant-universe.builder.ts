import { Rng, WeightedTable } from '../random/seeded.random';
import { merchantId, terminalId } from './entity-ids.format';
import { jitter } from './geo.math';
import { ATM_MCC, ONLINE_CATEGORIES, STORE_CATEGORIES, type MerchantCategory } from './merchant-category.data';
import { CITIES, countryInfo } from './places.data';
import type { Merchant, MerchantChoice, MerchantUniverse, Place } from './world.types';

const SHOP_RADIUS_KM = 12;
/** Shops per city: a floor for cities nobody lives in, plus one per few residents. */
const MIN_STORES_PER_CITY = 40;
const RESIDENTS_PER_STORE = 3;
const RESIDENTS_PER_ATM = 40;
const MIN_ATMS_PER_CITY = 3;
const MIN_ONLINE_MERCHANTS = 60;
const CUSTOMERS_PER_ONLINE_MERCHANT = 120;
const MAX_TERMINALS = 4;

export const storeKey = (cityIndex: number, mcc: string): string => `${cityIndex}:${mcc}`;

function choice(merchants: number[], all: readonly Merchant[]): MerchantChoice {
  return { merchants, table: new WeightedTable(merchants.map((m) => all[m].popularity)) };
}

function groupBy(indexes: readonly number[], key: (i: number) => string, all: readonly Merchant[]) {
  const groups = new Map<string, number[]>();
  for (const i of indexes) {
    const k = key(i);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [i]);
    else group.push(i);
  }
  return new Map([...groups].map(([k, members]) => [k, choice(members, all)]));
}

/**
 * Shops with terminals in every city (more where more customers live; hotels where travellers go), ATMs,
 * and online merchants spread over the home markets. Popularity is log-normal: a few merchants are busy.
 */
export function buildMerchantUniverse(
  seed: number,
  residentsByCity: readonly number[],
  cityPlaces: readonly Place[],
): MerchantUniverse {
  const rng = Rng.derive(seed, 'merchants');
  const merchants: Merchant[] = [];
  let terminals = 0;
  const add = (mcc: string, countryCode: string, place: Place | null, terminalCount: number): number => {
    const index = merchants.length;
    const ids = Array.from({ length: terminalCount }, () => terminalId(terminals++));
    const popularity = rng.lognormal(1, 1);
    merchants.push({
      index,
      id: merchantId(index),
      mcc,
      country: countryCode,
      currency: countryInfo(countryCode).currency,
      place,
      terminals: ids,
      popularity,
    });
    return index;
  };
  const shopPlace = (cityIndex: number): Place => {
    const centre = cityPlaces[cityIndex];
    return { ...centre, ...jitter(centre, SHOP_RADIUS_KM, rng.next(), rng.next()) };
  };

  const stores: number[] = [];
  const cityOf = new Map<number, number>();
  const atmsByCity: number[][] = [];
  CITIES.forEach((city, cityIndex) => {
    const residents = residentsByCity[cityIndex];
    const storeCount = MIN_STORES_PER_CITY + Math.round(residents / RESIDENTS_PER_STORE);
    const weight = (c: MerchantCategory) => c.everyday + c.travel;
    const totalWeight = STORE_CATEGORIES.reduce((sum, c) => sum + weight(c), 0);
    for (const category of STORE_CATEGORIES) {
      const count = Math.max(1, Math.round((storeCount * weight(category)) / totalWeight));
      for (let k = 0; k < count; k++) {
        const terminalCount = 1 + Math.min(MAX_TERMINALS - 1, rng.int(MAX_TERMINALS));
        const store = add(category.mcc, city.country, shopPlace(cityIndex), terminalCount);
        stores.push(store);
        cityOf.set(store, cityIndex);
      }
    }
    const atmCount = Math.max(MIN_ATMS_PER_CITY, Math.round(residents / RESIDENTS_PER_ATM));
    atmsByCity.push(Array.from({ length: atmCount }, () => add(ATM_MCC, city.country, shopPlace(cityIndex), 1)));
  });

  const online: number[] = [];
  const residents = residentsByCity.reduce((sum, n) => sum + n, 0);
  const onlineCount = MIN_ONLINE_MERCHANTS + Math.round(residents / CUSTOMERS_PER_ONLINE_MERCHANT);
  const marketCities = CITIES.filter((c) => c.home > 0);
  const categoryTable = new WeightedTable(ONLINE_CATEGORIES.map((c) => c.everyday + 0.3));
  const marketTable = new WeightedTable(marketCities.map((c) => c.home));
  for (let k = 0; k < onlineCount; k++) {
    const category = ONLINE_CATEGORIES[categoryTable.draw(rng)];
    online.push(add(category.mcc, marketCities[marketTable.draw(rng)].country, null, 0));
  }
  // Every online category must exist somewhere: scenarios and habits look merchants up by category.
  ONLINE_CATEGORIES.forEach((category, k) => {
    if (!online.some((m) => merchants[m].mcc === category.mcc)) {
      online.push(add(category.mcc, marketCities[k % marketCities.length].country, null, 0));
    }
  });

  return {
    merchants,
    stores: groupBy(stores, (m) => storeKey(cityOf.get(m) as number, merchants[m].mcc), merchants),
    atmsByCity,
    onlineByCountry: groupBy(online, (m) => merchants[m].country, merchants),
    onlineByMcc: groupBy(online, (m) => merchants[m].mcc, merchants),
  };
}
