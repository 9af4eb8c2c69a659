import { Channel } from '@argus/contracts';
import { placeAt } from '../engine/customer.stream';
import { transferDraft, type DraftContext } from '../engine/draft.factory';
import { fraudPolicy, type DelaySpec } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import type { Customer, ReceivingAccount, World } from '../world/world.types';
import {
  DAY_MS,
  atLocalHours,
  countWithin,
  pickVictim,
  planUntilBudget,
  startLeaving,
  within,
  middle,
} from './scenario.helpers';
import type { Episode, ScenarioModule } from './scenario.types';

/**
 * A scam campaign talks many customers into paying one mule account within a few days (authorised push
 * payments from their own devices, at home): fan-in of distinct senders into a payee none of them knew.
 */
export const MULE_FAN_IN = {
  victims: [8, 25],
  spanDays: [1, 4],
  transfersPerVictim: [1, 2],
  medianMultiple: [5, 20],
  mobileShare: 0.3,
  hours: [8, 22],
} as const;

/** Victims report the scam to the bank themselves: hours to three weeks, median three days. */
export const MULE_REPORT_DELAY: DelaySpec = { medianHours: 72, sigma: 0.8, minHours: 6, maxHours: 20 * 24 };

function victimCase(victim: Customer, mule: ReceivingAccount, start: number, days: number, rng: Rng) {
  const p = MULE_FAN_IN;
  const drafts: TransactionDraft[] = [];
  let time = start + Math.floor(rng.next() * days * DAY_MS);
  for (let k = countWithin(rng, p.transfersPerVictim); k > 0; k--) {
    time = atLocalHours(time, victim.home.utcOffset, p.hours[0], p.hours[1], rng);
    const ctx: DraftContext = { time, scenario: 'mule_fan_in', fraud: true, customer: victim };
    const mobile = rng.chance(p.mobileShare);
    const device = mobile ? victim.devices[0] : rng.pick(victim.devices);
    const usd = victim.medianUsd * within(rng, p.medianMultiple);
    drafts.push(
      transferDraft(ctx, mule, device, placeAt(victim, time), usd, mobile ? Channel.MOBILE : Channel.BANK_TRANSFER),
    );
    time += Math.floor(rng.between(1, 6) * 3_600_000);
  }
  return drafts;
}

function campaign(world: World, mule: ReceivingAccount, start: number, days: number, victims: number): Episode {
  return {
    start,
    expand: (rng) => {
      const seen = new Set<number>();
      const cases: TransactionDraft[][] = [];
      for (let k = 0; k < victims * 3 && seen.size < victims; k++) {
        const victim = pickVictim(world, rng, (c) => c.home.country === mule.country && !seen.has(c.index));
        if (victim === null) continue;
        seen.add(victim.index);
        cases.push(victimCase(victim, mule, start, days, rng));
      }
      return cases;
    },
  };
}

export const muleFanInScenario: ScenarioModule = {
  name: 'mule_fan_in',
  kind: 'fraud',
  description: 'many customers pay one mule account within days (scam transfers)',
  weight: 0.8,
  labels: fraudPolicy(1, MULE_REPORT_DELAY),
  plan: ({ world, rng, budget }) =>
    planUntilBudget(budget, middle(MULE_FAN_IN.victims) * middle(MULE_FAN_IN.transfersPerVictim), () => {
      const anchor = pickVictim(world, rng);
      const mules = anchor === null ? undefined : world.mulesByCountry.get(anchor.home.country);
      if (mules === undefined) return null;
      const days = within(rng, MULE_FAN_IN.spanDays);
      const victims = countWithin(rng, MULE_FAN_IN.victims);
      const start = startLeaving(world, rng, (days + 1) * DAY_MS);
      return {
        size: victims * middle(MULE_FAN_IN.transfersPerVictim),
        episode: campaign(world, rng.pick(mules), start, days, victims),
      };
    }),
};
