import { pickCard, remoteDraft } from '../engine/draft.factory';
import { legitLabel } from '../engine/label.policy';
import { WeightedTable, type Rng } from '../random/seeded.random';
import { distanceKm, jitter } from '../world/geo.math';
import { TRAVEL_BOOKING_MCCS } from '../world/merchant-category.data';
import { CITIES } from '../world/places.data';
import type { Customer, Trip, World } from '../world/world.types';
import { DAY_MS, HOUR_MS, onlineMerchantsOf, perCustomer, singleCase, within } from './scenario.helpers';
import type { Episode, ScenarioModule } from './scenario.types';

/**
 * Customers travel — another city at home or abroad — and pay there in person, in the local currency, at
 * merchants they never used, at shifted hours; a large online booking comes first. Every transaction of the
 * trip is labelled LEGITIMATE. Flights take realistic time, so no legitimate pair of transactions implies
 * travel faster than an airliner.
 */
export const TRAVEL = {
  tripsPerCustomerMonth: 0.1,
  days: [2, 10],
  domesticShare: 0.55,
  minDomesticKm: 200,
  bookingDaysAhead: [3, 30],
  bookingMultiple: [8, 25],
  flightKmPerHour: 750,
  airportHours: 1.5,
  hotelRadiusKm: 5,
} as const;

function destination(customer: Customer, rng: Rng): number | null {
  const home = CITIES[customer.homeCity];
  const candidates = CITIES.map((city, index) => ({ city, index })).filter(({ city, index }) => {
    if (index === customer.homeCity) return false;
    return city.country === home.country ? distanceKm(city, customer.home) >= TRAVEL.minDomesticKm : city.travel > 0;
  });
  const domestic = candidates.filter(({ city }) => city.country === home.country);
  const abroad = candidates.filter(({ city }) => city.country !== home.country);
  const pool = domestic.length > 0 && rng.chance(TRAVEL.domesticShare) ? domestic : abroad;
  if (pool.length === 0) return null;
  return pool[new WeightedTable(pool.map(({ city }) => city.travel + 0.2)).draw(rng)].index;
}

function planTrip(world: World, customer: Customer, rng: Rng): Trip | null {
  const days = within(rng, TRAVEL.days);
  const latestDepart = world.end - (days + 2) * DAY_MS;
  const earliestDepart = world.start + DAY_MS;
  const cityIndex = destination(customer, rng);
  if (latestDepart <= earliestDepart || cityIndex === null) return null;
  const depart = Math.floor(rng.between(earliestDepart, latestDepart));
  const centre = world.cityPlaces[cityIndex];
  const flight = Math.ceil(
    (distanceKm(customer.home, centre) / TRAVEL.flightKmPerHour + TRAVEL.airportHours) * HOUR_MS,
  );
  const arrive = depart + flight;
  const leave = arrive + Math.floor(days * DAY_MS);
  const place = { ...centre, ...jitter(centre, TRAVEL.hotelRadiusKm, rng.next(), rng.next()) };
  return { depart, arrive, leave, back: leave + flight, place, cityIndex };
}

function booking(world: World, customer: Customer, trip: Trip, rng: Rng): Episode | null {
  const time = trip.depart - Math.floor(within(rng, TRAVEL.bookingDaysAhead) * DAY_MS);
  if (time < world.start) return null;
  const sellers = onlineMerchantsOf(world, TRAVEL_BOOKING_MCCS);
  return singleCase(time, (r) => {
    const usd = customer.medianUsd * within(r, TRAVEL.bookingMultiple);
    const ctx = { time, scenario: 'travel' as const, fraud: false, customer };
    const draft = remoteDraft(
      ctx,
      r.pick(sellers),
      pickCard(customer, r),
      r.pick(customer.devices),
      customer.home,
      usd,
    );
    draft.label = legitLabel(draft.channel, r, time);
    return [draft];
  });
}

export const travelScenario: ScenarioModule = {
  name: 'travel',
  kind: 'surprise',
  description: 'a trip: large booking, then payments in another city or country, new merchants, shifted hours',
  weight: 0,
  labels: null,
  plan: ({ world }) =>
    perCustomer(world, 'travel', TRAVEL.tripsPerCustomerMonth, (customer, rng) => {
      customer.trip = planTrip(world, customer, rng);
      return customer.trip === null ? null : booking(world, customer, customer.trip, rng);
    }),
};
