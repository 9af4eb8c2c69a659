import { fraudPolicy } from '../engine/label.policy';
import { pickCard, remoteDraft, type DraftContext } from '../engine/draft.factory';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import { CASH_OUT_ONLINE_MCCS, PROBE_MCCS } from '../world/merchant-category.data';
import { UNITS_PER_USD } from '../world/places.data';
import type { Customer, World } from '../world/world.types';
import {
  DAY_MS,
  MINUTE_MS,
  countWithin,
  middle,
  onlineMerchantsOf,
  pickRing,
  singleVictimEpisodes,
  timesWithin,
  within,
} from './scenario.helpers';
import type { ScenarioModule } from './scenario.types';

/**
 * Card details bought from a breach are checked with tiny payments at several online merchants within
 * minutes (from a ring's device, which it reuses on many cards), then cashed out with one to three large ones.
 */
export const CARD_TESTING = {
  probes: [5, 15],
  probeMerchants: [4, 10],
  /** Probe amounts in major units of the merchant's own currency: testers use nominal amounts. */
  probeMajor: [0.5, 3],
  probeWindowMinutes: [2, 20],
  cashOuts: [1, 3],
  cashOutGapMinutes: [5, 120],
  cashOutMedianUsd: 450,
  /** A cash-out is at least this many times the victim's typical amount. */
  cashOutMedianMultiple: [10, 30],
} as const;

const TYPICAL_SIZE = middle(CARD_TESTING.probes) + middle(CARD_TESTING.cashOuts);

function cardTestingCase(world: World, victim: Customer, start: number, rng: Rng): TransactionDraft[] {
  const p = CARD_TESTING;
  const ring = pickRing(world, rng);
  const device = rng.pick(ring.devices);
  const card = pickCard(victim, rng);
  const ctx = (time: number): DraftContext => ({ time, scenario: 'card_testing', fraud: true, customer: victim });
  const probeCount = countWithin(rng, p.probes);
  const sites = rng.sample(
    onlineMerchantsOf(world, PROBE_MCCS),
    Math.min(probeCount, countWithin(rng, p.probeMerchants)),
  );
  const probeTimes = timesWithin(rng, start, within(rng, p.probeWindowMinutes) * MINUTE_MS, probeCount);
  // Every site is probed once before any is probed again: the distinct-merchant count is what testers show.
  const drafts = probeTimes.map((time, k) => {
    const site = sites[k < sites.length ? k : rng.int(sites.length)];
    const usd = within(rng, p.probeMajor) / UNITS_PER_USD[site.currency];
    return remoteDraft(ctx(time), site, card, device, ring.place, usd);
  });
  const shops = onlineMerchantsOf(world, CASH_OUT_ONLINE_MCCS);
  let time = probeTimes[probeTimes.length - 1];
  for (let k = countWithin(rng, p.cashOuts); k > 0; k--) {
    time += Math.floor(within(rng, p.cashOutGapMinutes) * MINUTE_MS);
    const usd = Math.max(
      rng.lognormal(p.cashOutMedianUsd, 0.5),
      victim.medianUsd * within(rng, p.cashOutMedianMultiple),
    );
    drafts.push(remoteDraft(ctx(time), rng.pick(shops), card, device, ring.place, usd));
  }
  return drafts;
}

export const cardTestingScenario: ScenarioModule = {
  name: 'card_testing',
  kind: 'fraud',
  description: 'tiny payments across several online merchants within minutes, then large ones',
  weight: 1,
  labels: fraudPolicy(0.5),
  plan: (ctx) =>
    singleVictimEpisodes(ctx, TYPICAL_SIZE, DAY_MS / 4, (victim, start, rng) =>
      cardTestingCase(ctx.world, victim, start, rng),
    ),
};
