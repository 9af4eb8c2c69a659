import { pickCard, remoteDraft, storeDraft, typicalUsd } from '../engine/draft.factory';
import { placeAt } from '../engine/customer.stream';
import { legitLabel } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import { BIG_TICKET_MCCS, CASH_OUT_ONLINE_MCCS, NEW_HABIT_MCCS } from '../world/merchant-category.data';
import { storeKey } from '../world/merchant-universe.builder';
import type { Customer, Merchant, World } from '../world/world.types';
import {
  DAY_MS,
  atLocalHours,
  countWithin,
  onlineMerchantsOf,
  perCustomer,
  startLeaving,
  timesWithin,
  within,
} from './scenario.helpers';
import type { Episode, ScenarioModule } from './scenario.types';

/** A customer takes up a category they never used (a sport, a new flat, a pet): a few payments in it. */
export const NEW_CATEGORY = {
  customersPerMonth: 0.06,
  uses: [2, 6],
  spanDays: [3, 20],
  merchants: [1, 2],
  hours: [9, 20],
} as const;

/** One purchase far above the customer's usual amount (a laptop, a sofa, a ring), in person or online. */
export const LARGE_PURCHASE = {
  customersPerMonth: 0.08,
  medianMultiple: [5, 15],
  onlineShare: 0.5,
  hours: [10, 20],
} as const;

type Purchase = (time: number, rng: Rng) => TransactionDraft;

/** At home only (a customer away on a trip does not buy a sofa in their home town), labelled LEGITIMATE. */
function atHome(customer: Customer, times: readonly number[], purchase: Purchase, rng: Rng): TransactionDraft[] {
  return times
    .filter((time) => placeAt(customer, time) === customer.home)
    .map((time) => {
      const draft = purchase(time, rng);
      draft.label = legitLabel(draft.channel, rng, time);
      return draft;
    });
}

function newCategory(world: World, customer: Customer, rng: Rng): Episode | null {
  const p = NEW_CATEGORY;
  const fresh = NEW_HABIT_MCCS.filter((mcc) => !customer.everydayMccs.includes(mcc));
  if (fresh.length === 0) return null;
  const shops = world.merchants.stores.get(storeKey(customer.homeCity, rng.pick(fresh)));
  if (shops === undefined) return null;
  const picked = rng.sample(shops.merchants, countWithin(rng, p.merchants)).map((m) => world.merchants.merchants[m]);
  const span = within(rng, p.spanDays) * DAY_MS;
  const start = startLeaving(world, rng, span + DAY_MS);
  return {
    start,
    expand: (r) => {
      const times = timesWithin(r, start, span, countWithin(r, p.uses)).map((t) =>
        atLocalHours(t, customer.home.utcOffset, p.hours[0], p.hours[1], r),
      );
      const purchase: Purchase = (time, rr) => {
        const shop = rr.pick(picked);
        const ctx = { time, scenario: 'new_category' as const, fraud: false, customer };
        return storeDraft(ctx, shop, pickCard(customer, rr), typicalUsd(customer, shop.mcc, rr), rr);
      };
      return times.map((time) => atHome(customer, [time], purchase, r));
    },
  };
}

function largePurchase(world: World, customer: Customer, rng: Rng): Episode | null {
  const p = LARGE_PURCHASE;
  const start = atLocalHours(
    startLeaving(world, rng, DAY_MS * 1.5),
    customer.home.utcOffset,
    p.hours[0],
    p.hours[1],
    rng,
  );
  const online = onlineMerchantsOf(world, CASH_OUT_ONLINE_MCCS).filter((m) => m.country === customer.home.country);
  const shops = world.merchants.stores.get(storeKey(customer.homeCity, rng.pick(BIG_TICKET_MCCS)));
  return {
    start,
    expand: (r) => {
      const purchase: Purchase = (time, rr) => {
        const ctx = { time, scenario: 'large_purchase' as const, fraud: false, customer };
        const usd = customer.medianUsd * within(rr, p.medianMultiple);
        if ((rr.chance(p.onlineShare) && online.length > 0) || shops === undefined) {
          const seller: Merchant =
            online.length > 0 ? rr.pick(online) : rr.pick(onlineMerchantsOf(world, CASH_OUT_ONLINE_MCCS));
          return remoteDraft(ctx, seller, pickCard(customer, rr), rr.pick(customer.devices), customer.home, usd);
        }
        const shop = world.merchants.merchants[shops.merchants[shops.table.draw(rr)]];
        return storeDraft(ctx, shop, pickCard(customer, rr), usd, rr);
      };
      return [atHome(customer, [start], purchase, r)];
    },
  };
}

export const newCategoryScenario: ScenarioModule = {
  name: 'new_category',
  kind: 'surprise',
  description: 'a few payments in a category the customer never used before',
  weight: 0,
  labels: null,
  plan: ({ world }) =>
    perCustomer(world, 'new_category', NEW_CATEGORY.customersPerMonth, (c, rng) => newCategory(world, c, rng)),
};

export const largePurchaseScenario: ScenarioModule = {
  name: 'large_purchase',
  kind: 'surprise',
  description: "one purchase five to fifteen times the customer's usual amount",
  weight: 0,
  labels: null,
  plan: ({ world }) =>
    perCustomer(world, 'large_purchase', LARGE_PURCHASE.customersPerMonth, (c, rng) => largePurchase(world, c, rng)),
};
