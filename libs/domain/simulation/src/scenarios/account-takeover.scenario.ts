import { Channel } from '@argus/contracts';
import { pickCard, remoteDraft, transferDraft, type DraftContext } from '../engine/draft.factory';
import { fraudPolicy } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import { CASH_OUT_ONLINE_MCCS } from '../world/merchant-category.data';
import type { Customer, World } from '../world/world.types';
import {
  DAY_MS,
  MINUTE_MS,
  atLocalHours,
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
 * A ring logs into the customer's account from its own device in another country and drains it within
 * hours: maybe a small test first, then growing transfers to its mule accounts, gift cards and wallet top-ups.
 */
export const ACCOUNT_TAKEOVER = {
  steps: [3, 8],
  spanMinutes: [20, 360],
  testFirstShare: 0.5,
  testUsd: [5, 30],
  /** Drain amounts, as multiples of the victim's typical amount (growing over the episode). */
  drainMultiple: [4, 25],
  transferShare: 0.6,
  walletShare: 0.15,
  /** The ring works its own daytime: often the victim's night. */
  ringHours: [8, 23],
} as const;

function takeoverCase(world: World, victim: Customer, start: number, rng: Rng): TransactionDraft[] {
  const p = ACCOUNT_TAKEOVER;
  const ring = pickRing(world, rng, victim.home.country);
  const device = rng.pick(ring.devices);
  const card = pickCard(victim, rng);
  const login = atLocalHours(start, ring.place.utcOffset, p.ringHours[0], p.ringHours[1], rng);
  const steps = countWithin(rng, p.steps);
  const times = timesWithin(rng, login, within(rng, p.spanMinutes) * MINUTE_MS, steps);
  const shops = onlineMerchantsOf(world, CASH_OUT_ONLINE_MCCS);
  const wallets = onlineMerchantsOf(world, ['6540']);
  const tested = rng.chance(p.testFirstShare);
  return times.map((time, k) => {
    const ctx: DraftContext = { time, scenario: 'account_takeover', fraud: true, customer: victim };
    const usd =
      tested && k === 0 ? within(rng, p.testUsd) : victim.medianUsd * within(rng, p.drainMultiple) * (1 + k / steps);
    const kind = rng.next();
    if (kind < p.transferShare) return transferDraft(ctx, rng.pick(ring.muleAccounts), device, ring.place, usd);
    if (kind < p.transferShare + p.walletShare && wallets.length > 0) {
      return remoteDraft(ctx, rng.pick(wallets), card, device, ring.place, usd, Channel.MOBILE);
    }
    return remoteDraft(ctx, rng.pick(shops), card, device, ring.place, usd);
  });
}

export const accountTakeoverScenario: ScenarioModule = {
  name: 'account_takeover',
  kind: 'fraud',
  description: 'new device in a new country drains the account within hours',
  weight: 1,
  labels: fraudPolicy(0.6),
  plan: (ctx) =>
    singleVictimEpisodes(ctx, middle(ACCOUNT_TAKEOVER.steps), 1.5 * DAY_MS, (victim, start, rng) =>
      takeoverCase(ctx.world, victim, start, rng),
    ),
};
