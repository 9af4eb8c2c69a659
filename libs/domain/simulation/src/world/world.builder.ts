import { Rng } from '../random/seeded.random';
import { DeviceFactory } from './device.factory';
import { accountId } from './entity-ids.format';
import { jitter } from './geo.math';
import { buildMerchantUniverse } from './merchant-universe.builder';
import { CITIES, COUNTRIES } from './places.data';
import { buildCustomer, drawHomes } from './population.builder';
import type { Customer, FraudRing, Place, ReceivingAccount, World } from './world.types';

const RESIDENTS_PER_PAYEE = 25;
const MIN_PAYEES = 5;
const MIN_RINGS = 6;
const CUSTOMERS_PER_RING = 1500;
const MAX_RINGS = 40;
const RESIDENTS_PER_MULE = 2000;
const MIN_MULES_PER_COUNTRY = 2;

export interface WorldSettings {
  readonly seed: number;
  readonly customers: number;
  readonly start: number;
  readonly end: number;
}

const cityPlace = (index: number): Place => {
  const c = CITIES[index];
  return { lat: c.lat, lon: c.lon, country: c.country, city: c.name, utcOffset: c.utcOffset };
};

/**
 * Rings operate from hub cities (some of them inside the home markets). Each has a few devices it reuses
 * on every victim and a few mule accounts it moves money to.
 */
function buildRings(seed: number, count: number, devices: DeviceFactory, nextAccount: () => string): FraudRing[] {
  const rng = Rng.derive(seed, 'rings');
  const hubs = CITIES.map((c, i) => (c.hub ? i : -1)).filter((i) => i >= 0);
  return Array.from({ length: count }, (_, index) => {
    const hub = cityPlace(hubs[index % hubs.length]);
    const place: Place = { ...hub, ...jitter(hub, 15, rng.next(), rng.next()) };
    return {
      index,
      place,
      devices: Array.from({ length: rng.intBetween(2, 6) }, () => devices.device(place.country, rng)),
      muleAccounts: Array.from({ length: rng.intBetween(1, 3) }, () => ({
        id: nextAccount(),
        country: place.country,
      })),
    };
  });
}

/** Everything the run draws from: places, merchants, customers with their habits, payees and fraud rings. */
export function buildWorld(settings: WorldSettings): World {
  const { seed, customers: count } = settings;
  const homes = drawHomes(seed, count);
  const residents = CITIES.map(() => 0);
  for (const city of homes) residents[city] += 1;
  const cityPlaces = CITIES.map((_, i) => cityPlace(i));
  const merchants = buildMerchantUniverse(seed, residents, cityPlaces);

  let accounts = count;
  const nextAccount = (): string => accountId(accounts++);
  const payeeRng = Rng.derive(seed, 'payees');
  const payeesByCountry = new Map<string, ReceivingAccount[]>();
  const payeeCount = Math.max(MIN_PAYEES, Math.round(count / RESIDENTS_PER_PAYEE));
  for (let k = 0; k < payeeCount; k++) {
    const country = CITIES[homes[payeeRng.int(count)] ?? 0].country;
    const list = payeesByCountry.get(country) ?? [];
    list.push({ id: nextAccount(), country });
    payeesByCountry.set(country, list);
  }

  const devices = new DeviceFactory(seed);
  const population: Customer[] = [];
  let cards = 0;
  for (let index = 0; index < count; index++) {
    const customer = buildCustomer(index, cards, { seed, homes, merchants, cityPlaces, payeesByCountry, devices });
    cards += customer.cards.length;
    population.push(customer);
  }
  const mulesByCountry = new Map<string, ReceivingAccount[]>();
  for (const { code } of COUNTRIES) {
    const living = homes.filter((city) => CITIES[city].country === code).length;
    if (living === 0) continue;
    const mules = Math.max(MIN_MULES_PER_COUNTRY, Math.round(living / RESIDENTS_PER_MULE));
    mulesByCountry.set(
      code,
      Array.from({ length: mules }, () => ({ id: nextAccount(), country: code })),
    );
  }
  const ringCount = Math.min(MAX_RINGS, Math.max(MIN_RINGS, Math.round(count / CUSTOMERS_PER_RING)));
  return {
    seed,
    start: settings.start,
    end: settings.end,
    customers: population,
    merchants,
    rings: buildRings(seed, ringCount, devices, nextAccount),
    mulesByCountry,
    cityPlaces,
  };
}
