import { legitDraft, placeAt } from '../engine/customer.stream';
import { atmDraft, pickCard, storeDraft, type DraftContext } from '../engine/draft.factory';
import { fraudPolicy } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import { distanceKm } from '../world/geo.math';
import { storeKey } from '../world/merchant-universe.builder';
import type { Customer, World } from '../world/world.types';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  atLocalHours,
  countWithin,
  merchantFrom,
  middle,
  singleVictimEpisodes,
  timesWithin,
  within,
} from './scenario.helpers';
import type { ScenarioModule } from './scenario.types';

/**
 * A card stolen or cloned is used in person in a city far from the holder's home — shops and ATMs — while
 * the holder keeps paying at home (their own transactions stay legitimate): impossible travel.
 */
export const STOLEN_CARD = {
  minDistanceKm: 800,
  firstUseHours: [0.5, 6],
  uses: [3, 10],
  spanHours: [2, 36],
  atmShare: 0.3,
  atmUsd: [200, 500],
  minUsd: 80,
  medianMultiple: [2, 8],
  mccs: ['5732', '5944', '5651', '5311', '5411'],
  /** The holder's own payments at home during the episode, this many minutes before one of the thief's. */
  holderUses: [1, 3],
  holderLeadMinutes: [10, 120],
  localHours: [10, 22],
} as const;

function stolenCardCase(world: World, victim: Customer, start: number, rng: Rng): TransactionDraft[] {
  const p = STOLEN_CARD;
  const far = world.cityPlaces
    .map((place, index) => ({ place, index }))
    .filter(({ place }) => distanceKm(place, victim.home) >= p.minDistanceKm);
  if (far.length === 0) return [];
  const city = rng.pick(far);
  const card = pickCard(victim, rng);
  const first = start + Math.floor(within(rng, p.firstUseHours) * HOUR_MS);
  const times = timesWithin(rng, first, within(rng, p.spanHours) * HOUR_MS, countWithin(rng, p.uses)).map((t) =>
    atLocalHours(t, city.place.utcOffset, p.localHours[0], p.localHours[1], rng),
  );
  const drafts = times.map((time) => {
    const ctx: DraftContext = { time, scenario: 'stolen_card', fraud: true, customer: victim };
    const shops = world.merchants.stores.get(storeKey(city.index, rng.pick(p.mccs)));
    if (rng.chance(p.atmShare) || shops === undefined) {
      const atm = world.merchants.merchants[rng.pick(world.merchants.atmsByCity[city.index])];
      return atmDraft(ctx, atm, card, within(rng, p.atmUsd));
    }
    const usd = Math.max(p.minUsd, victim.medianUsd * within(rng, p.medianMultiple));
    return storeDraft(ctx, merchantFrom(world, shops, rng), card, usd, rng);
  });
  // The holder pays at home shortly before some of the thief's uses: the pair no traveller could make.
  for (let k = countWithin(rng, p.holderUses); k > 0; k--) {
    const time = Math.max(start, rng.pick(times) - Math.floor(within(rng, p.holderLeadMinutes) * MINUTE_MS));
    if (placeAt(victim, time) === victim.home) drafts.push(legitDraft(victim, time, world, rng));
  }
  return drafts;
}

export const stolenCardScenario: ScenarioModule = {
  name: 'stolen_card',
  kind: 'fraud',
  description: 'card used in person far from home while the holder still pays at home (impossible travel)',
  weight: 1,
  labels: fraudPolicy(0.5),
  plan: (ctx) =>
    singleVictimEpisodes(ctx, middle(STOLEN_CARD.uses), 3 * DAY_MS, (victim, start, rng) =>
      stolenCardCase(ctx.world, victim, start, rng),
    ),
};
