import { Channel } from '@argus/contracts';
import type { Rng } from '../random/seeded.random';
import { WeightedTable } from '../random/seeded.random';
import { STORE_CATEGORIES } from '../world/merchant-category.data';
import { storeKey } from '../world/merchant-universe.builder';
import type { Customer, Merchant, MerchantChoice, Place, Trip, World } from '../world/world.types';
import { LEGIT_KINDS } from '../world/world.types';
import {
  atmDraft,
  pickCard,
  remoteDraft,
  storeDraft,
  transferDraft,
  typicalUsd,
  type DraftContext,
} from './draft.factory';
import { legitLabel } from './label.policy';
import type { TransactionDraft } from './transaction.draft';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Travellers spend more often than at home. */
const TRAVEL_RATE_FACTOR = 1.6;
/** Share of shop visits to a merchant outside the customer's habits (same categories, same city). */
const EXPLORE_SHARE = 0.08;
/** Share of ordinary remote payments that were challenged (3-D Secure / OTP) and passed: LEGITIMATE labels. */
const STEP_UP_SHARE = 0.02;
const ATM_MEDIAN_USD = 80;
const TRANSFER_MEDIAN_FACTOR = 6;
const TRAVEL_KINDS = new WeightedTable([0.8, 0.08, 0.12]);
const travelCategories = STORE_CATEGORIES.filter((c) => c.travel > 0);
const TRAVEL_CATEGORY_TABLE = new WeightedTable(travelCategories.map((c) => c.travel));

/** Where the customer is at `time`: abroad during a trip, else at home. */
export function placeAt(customer: Customer, time: number): Place {
  const trip = customer.trip;
  return trip !== null && time >= trip.arrive && time < trip.leave ? trip.place : customer.home;
}

function localHour(time: number, utcOffset: number): number {
  const local = (((time + utcOffset * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return Math.floor(local / HOUR_MS);
}

/**
 * The customer's next own transaction after `after`: a Poisson process at their daily rate, thinned by
 * their hour-of-day profile in local time, with no transaction while they fly. Returns a time ≥ `limit`
 * when there is none before it.
 */
export function nextEventTime(customer: Customer, after: number, limit: number): number {
  const { rng, trip } = customer;
  let time = after;
  while (time < limit) {
    const away = trip !== null && time >= trip.arrive && time < trip.leave;
    const candidatesPerDay = (customer.dailyRate * (away ? TRAVEL_RATE_FACTOR : 1)) / customer.hourWeightMean;
    time += rng.exponential(DAY_MS / candidatesPerDay);
    if (trip !== null && time >= trip.depart && time < trip.arrive) time = trip.arrive;
    else if (trip !== null && time >= trip.leave && time < trip.back) time = trip.back;
    else if (rng.next() < customer.hourWeights[localHour(time, placeAt(customer, time).utcOffset)]) {
      return Math.floor(time);
    }
  }
  return time;
}

function drawFrom(choice: MerchantChoice, world: World, rng: Rng): Merchant {
  return world.merchants.merchants[choice.merchants[choice.table.draw(rng)]];
}

function shopAtHome(customer: Customer, world: World, rng: Rng): Merchant {
  if (rng.chance(EXPLORE_SHARE)) {
    const elsewhere = world.merchants.stores.get(storeKey(customer.homeCity, rng.pick(customer.everydayMccs)));
    if (elsewhere !== undefined) return drawFrom(elsewhere, world, rng);
  }
  return drawFrom(customer.stores, world, rng);
}

function travelDraft(customer: Customer, trip: Trip, time: number, world: World, rng: Rng): TransactionDraft {
  const ctx: DraftContext = { time, scenario: 'travel', fraud: false, customer };
  const card = pickCard(customer, rng);
  const kind = TRAVEL_KINDS.draw(rng);
  let draft: TransactionDraft;
  const shops = world.merchants.stores.get(
    storeKey(trip.cityIndex, travelCategories[TRAVEL_CATEGORY_TABLE.draw(rng)].mcc),
  );
  if (kind === 0 && shops !== undefined) {
    const shop = drawFrom(shops, world, rng);
    draft = storeDraft(ctx, shop, card, typicalUsd(customer, shop.mcc, rng), rng);
  } else if (kind === 1 || customer.online.merchants.length === 0) {
    draft = atmDraft(
      ctx,
      world.merchants.merchants[rng.pick(world.merchants.atmsByCity[trip.cityIndex])],
      card,
      ATM_MEDIAN_USD * 1.5,
    );
  } else {
    const merchant = drawFrom(customer.online, world, rng);
    draft = remoteDraft(
      ctx,
      merchant,
      card,
      rng.pick(customer.devices),
      trip.place,
      typicalUsd(customer, merchant.mcc, rng),
    );
  }
  draft.label = legitLabel(draft.channel, rng, time);
  return draft;
}

/** One of the customer's own (legitimate) transactions at `time`, following their habits. */
export function legitDraft(customer: Customer, time: number, world: World, rng: Rng): TransactionDraft {
  const trip = customer.trip;
  if (trip !== null && time >= trip.arrive && time < trip.leave) return travelDraft(customer, trip, time, world, rng);
  const ctx: DraftContext = { time, scenario: customer.tag, fraud: false, customer };
  const kind = LEGIT_KINDS[customer.kindTable.draw(rng)];
  let draft: TransactionDraft;
  switch (kind) {
    case 'store': {
      const shop = shopAtHome(customer, world, rng);
      draft = storeDraft(ctx, shop, pickCard(customer, rng), typicalUsd(customer, shop.mcc, rng), rng);
      break;
    }
    case 'atm': {
      const atm = world.merchants.merchants[rng.pick(customer.atms)];
      draft = atmDraft(
        ctx,
        atm,
        pickCard(customer, rng),
        rng.lognormal(ATM_MEDIAN_USD, 0.6) * (customer.medianUsd / 22),
      );
      break;
    }
    case 'transfer': {
      const usd = customer.medianUsd * rng.lognormal(TRANSFER_MEDIAN_FACTOR, 0.7);
      const channel = rng.chance(0.2) ? Channel.MOBILE : Channel.BANK_TRANSFER;
      const device = channel === Channel.MOBILE ? customer.devices[0] : rng.pick(customer.devices);
      draft = transferDraft(ctx, rng.pick(customer.payees), device, customer.home, usd, channel);
      break;
    }
    default: {
      const mobile = kind === 'mobile';
      const merchant = drawFrom(mobile ? customer.mobile : customer.online, world, rng);
      const device = mobile ? customer.devices[0] : rng.pick(customer.devices);
      const usd = typicalUsd(customer, merchant.mcc, rng);
      draft = remoteDraft(
        ctx,
        merchant,
        pickCard(customer, rng),
        device,
        customer.home,
        usd,
        mobile ? Channel.MOBILE : Channel.ECOMMERCE,
      );
    }
  }
  if (draft.channel !== Channel.CARD_PRESENT && draft.channel !== Channel.ATM && rng.chance(STEP_UP_SHARE)) {
    draft.label = legitLabel(draft.channel, rng, time);
  }
  return draft;
}
