import { Channel } from '@argus/contracts';
import { pickCard, remoteDraft, storeDraft, type DraftContext } from '../engine/draft.factory';
import { fraudPolicy } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import { WeightedTable } from '../random/seeded.random';
import { storeKey } from '../world/merchant-universe.builder';
import type { Customer, World } from '../world/world.types';
import {
  DAY_MS,
  HOUR_MS,
  countWithin,
  merchantFrom,
  middle,
  pickRing,
  singleVictimEpisodes,
  within,
} from './scenario.helpers';
import type { ScenarioModule } from './scenario.types';

/**
 * The card's details are compromised and, over one or two weeks, some payments at the customer's usual
 * kinds of merchants, at the customer's usual hours, are several times the customer's usual amount. Only
 * the amount (and sometimes the device) gives it away.
 */
export const CUSTOMER_ANOMALY = {
  windowDays: [5, 14],
  uses: [3, 8],
  /** Multiples of the customer's typical amount. */
  medianMultiple: [5, 12],
  onlineShare: 0.6,
  /** Share of online uses from the ring's device; the others come from the customer's own (malware, hijack). */
  ringDeviceShare: 0.5,
} as const;

function anomalyCase(world: World, victim: Customer, start: number, rng: Rng): TransactionDraft[] {
  const p = CUSTOMER_ANOMALY;
  const days = Math.min(within(rng, p.windowDays), Math.max(1, (world.end - start) / DAY_MS - 1));
  const card = pickCard(victim, rng);
  const ring = pickRing(world, rng);
  const hours = new WeightedTable([...victim.hourWeights]);
  const domestic = world.merchants.onlineByCountry.get(victim.home.country) ?? victim.online;
  const drafts: TransactionDraft[] = [];
  for (let k = countWithin(rng, p.uses); k > 0; k--) {
    // The customer's own hour-of-day profile, in their time zone.
    const day = Math.floor(rng.next() * days);
    const localMidnight = Math.floor((start + day * DAY_MS) / DAY_MS) * DAY_MS - victim.home.utcOffset * HOUR_MS;
    let time = localMidnight + Math.floor((hours.draw(rng) + rng.next()) * HOUR_MS);
    if (time < start) time += DAY_MS;
    const ctx: DraftContext = { time, scenario: 'customer_anomaly', fraud: true, customer: victim };
    const usd = victim.medianUsd * within(rng, p.medianMultiple);
    const shops = world.merchants.stores.get(storeKey(victim.homeCity, rng.pick(victim.everydayMccs)));
    if (rng.chance(p.onlineShare) || shops === undefined) {
      const device = rng.chance(p.ringDeviceShare) ? rng.pick(ring.devices) : rng.pick(victim.devices);
      drafts.push(
        remoteDraft(ctx, merchantFrom(world, domestic, rng), card, device, victim.home, usd, Channel.ECOMMERCE),
      );
    } else {
      drafts.push(storeDraft(ctx, merchantFrom(world, shops, rng), card, usd, rng));
    }
  }
  return drafts;
}

export const customerAnomalyScenario: ScenarioModule = {
  name: 'customer_anomaly',
  kind: 'fraud',
  description: "amounts several times the customer's usual, at their usual kinds of merchants and hours",
  weight: 1,
  labels: fraudPolicy(0.15),
  plan: (ctx) =>
    singleVictimEpisodes(
      ctx,
      middle(CUSTOMER_ANOMALY.uses),
      (CUSTOMER_ANOMALY.windowDays[1] + 1) * DAY_MS,
      (victim, start, rng) => anomalyCase(ctx.world, victim, start, rng),
    ),
};
