import { atmDraft, pickCard, remoteDraft, storeDraft, type DraftContext } from '../engine/draft.factory';
import { fraudPolicy, type DelaySpec } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import { BIG_TICKET_MCCS, CASH_OUT_ONLINE_MCCS } from '../world/merchant-category.data';
import { storeKey } from '../world/merchant-universe.builder';
import type { Customer, World } from '../world/world.types';
import {
  DAY_MS,
  atLocalHours,
  countWithin,
  merchantFrom,
  onlineMerchantsOf,
  pickVictim,
  planUntilBudget,
  timesWithin,
  within,
  windowDays,
  middle,
} from './scenario.helpers';
import type { Episode, ScenarioModule } from './scenario.types';

/**
 * A made-up identity behaves like a careful customer — small, regular payments for most of the simulated
 * window (its own transactions carry this scenario's name and no label) — then busts out: within days it
 * spends many times its usual amounts on goods that resell, withdraws cash, and disappears.
 */
export const SYNTHETIC_IDENTITY = {
  /** Bust-out begins after this share of the window: the build-up is the rest. */
  buildUpShare: [0.6, 0.9],
  medianUsd: [6, 15],
  amountSigma: 0.35,
  dailyRate: [0.6, 1.4],
  bustOutUses: [6, 15],
  bustOutDays: [1, 4],
  bustOutMultiple: [15, 60],
  storeShare: 0.5,
  atmShare: 0.15,
  atmUsd: [300, 500],
  hours: [9, 22],
} as const;

/** Nobody disputes a synthetic identity's payments: the loss is found when payments stop (one to six weeks). */
export const SYNTHETIC_IDENTITY_REPORT_DELAY: DelaySpec = {
  medianHours: 20 * 24,
  sigma: 0.5,
  minHours: 7 * 24,
  maxHours: 45 * 24,
};

function bustOut(world: World, identity: Customer, start: number, days: number, rng: Rng): TransactionDraft[] {
  const p = SYNTHETIC_IDENTITY;
  const card = pickCard(identity, rng);
  const times = timesWithin(rng, start, days * DAY_MS, countWithin(rng, p.bustOutUses)).map((t) =>
    atLocalHours(t, identity.home.utcOffset, p.hours[0], p.hours[1], rng),
  );
  const online = onlineMerchantsOf(world, CASH_OUT_ONLINE_MCCS);
  return times.map((time) => {
    const ctx: DraftContext = { time, scenario: 'synthetic_identity', fraud: true, customer: identity };
    const usd = identity.medianUsd * within(rng, p.bustOutMultiple);
    const kind = rng.next();
    const shops = world.merchants.stores.get(storeKey(identity.homeCity, rng.pick(BIG_TICKET_MCCS)));
    if (kind < p.atmShare) {
      return atmDraft(ctx, world.merchants.merchants[rng.pick(identity.atms)], card, within(rng, p.atmUsd));
    }
    if (kind < p.atmShare + p.storeShare && shops !== undefined) {
      return storeDraft(ctx, merchantFrom(world, shops, rng), card, usd, rng);
    }
    return remoteDraft(ctx, rng.pick(online), card, rng.pick(identity.devices), identity.home, usd);
  });
}

/** Turns a customer into a synthetic identity: small spender until `bustOutAt`, closed after the bust-out. */
function disguise(identity: Customer, bustOutAt: number, days: number, rng: Rng): void {
  const p = SYNTHETIC_IDENTITY;
  identity.tag = 'synthetic_identity';
  identity.medianUsd = within(rng, p.medianUsd);
  identity.amountSigma = p.amountSigma;
  identity.dailyRate = within(rng, p.dailyRate);
  identity.closedAt = bustOutAt + days * DAY_MS;
}

export const syntheticIdentityScenario: ScenarioModule = {
  name: 'synthetic_identity',
  kind: 'fraud',
  description: 'weeks of small good behaviour, then a bust-out within days',
  weight: 0.6,
  labels: fraudPolicy(1, SYNTHETIC_IDENTITY_REPORT_DELAY),
  plan: ({ world, rng, budget }) =>
    planUntilBudget(budget, middle(SYNTHETIC_IDENTITY.bustOutUses), () => {
      const identity = pickVictim(world, rng);
      if (identity === null) return null;
      const p = SYNTHETIC_IDENTITY;
      const span = windowDays(world);
      const days = Math.min(within(rng, p.bustOutDays), span / 4);
      const bustOutAt = world.start + Math.floor(within(rng, p.buildUpShare) * (span - days) * DAY_MS);
      disguise(identity, bustOutAt, days, rng);
      const episode: Episode = { start: bustOutAt, expand: (r) => [bustOut(world, identity, bustOutAt, days, r)] };
      return { size: middle(SYNTHETIC_IDENTITY.bustOutUses), episode };
    }),
};
