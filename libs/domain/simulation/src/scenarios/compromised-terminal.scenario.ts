import { fraudPolicy } from '../engine/label.policy';
import { pickCard, storeDraft } from '../engine/draft.factory';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import type { Card, Customer, Merchant, World } from '../world/world.types';
import {
  DAY_MS,
  atLocalHours,
  merchantFrom,
  pickVictim,
  planUntilBudget,
  startLeaving,
  windowDays,
  within,
  middle,
} from './scenario.helpers';
import type { Episode, ScenarioModule } from './scenario.types';

/**
 * A shop terminal is taken over for some days and every card run through it in that time is a counterfeit:
 * many distinct cards (local ones and cards from far away) at one terminal, each later charged back. The
 * shop's genuine customers keep paying there, untouched.
 */
export const COMPROMISED_TERMINAL = {
  windowDays: [3, 10],
  cardsPerDay: [3, 10],
  /** Share of counterfeit cards run twice. */
  repeatShare: 0.15,
  /** Share of the cards that belong to customers of the terminal's own country. */
  domesticShare: 0.5,
  medianUsd: 140,
  openHours: [9, 21],
} as const;

const TYPICAL_SIZE =
  middle(COMPROMISED_TERMINAL.windowDays) *
  middle(COMPROMISED_TERMINAL.cardsPerDay) *
  (1 + COMPROMISED_TERMINAL.repeatShare);

function terminalCase(shop: Merchant, card: Card, victim: Customer, from: number, rng: Rng) {
  const p = COMPROMISED_TERMINAL;
  const utcOffset = shop.place?.utcOffset ?? 0;
  const drafts: TransactionDraft[] = [];
  let time = from;
  for (let k = rng.chance(p.repeatShare) ? 2 : 1; k > 0; k--) {
    time = atLocalHours(time, utcOffset, p.openHours[0], p.openHours[1], rng);
    const ctx = { time, scenario: 'compromised_terminal' as const, fraud: true, customer: victim };
    drafts.push(storeDraft(ctx, shop, card, rng.lognormal(p.medianUsd, 0.6), rng));
  }
  return drafts;
}

function terminalEpisode(world: World, shop: Merchant, start: number, days: number, cards: number): Episode {
  return {
    start,
    expand: (rng) => {
      const used = new Set<string>();
      const cases: TransactionDraft[][] = [];
      for (let k = 0; k < cards; k++) {
        const domestic = rng.chance(COMPROMISED_TERMINAL.domesticShare);
        const victim = pickVictim(world, rng, (c) => !domestic || c.home.country === shop.country);
        if (victim === null) continue;
        const card = pickCard(victim, rng);
        if (used.has(card.id)) continue;
        used.add(card.id);
        const from = start + Math.floor(rng.next() * days * DAY_MS);
        cases.push(terminalCase(shop, card, victim, from, rng));
      }
      return cases;
    },
  };
}

export const compromisedTerminalScenario: ScenarioModule = {
  name: 'compromised_terminal',
  kind: 'fraud',
  description: 'many distinct counterfeit cards run through one shop terminal for some days',
  weight: 1,
  labels: fraudPolicy(0.1),
  plan: ({ world, rng, budget }) =>
    planUntilBudget(budget, TYPICAL_SIZE, () => {
      const local = pickVictim(world, rng);
      if (local === null) return null;
      // A busy shop somebody actually uses, with the single terminal the ring took over.
      const merchant = merchantFrom(world, local.stores, rng);
      const shop: Merchant = { ...merchant, terminals: [rng.pick(merchant.terminals)] };
      const days = Math.min(within(rng, COMPROMISED_TERMINAL.windowDays), windowDays(world) / 2);
      const cards = Math.max(2, Math.round(days * within(rng, COMPROMISED_TERMINAL.cardsPerDay)));
      const start = startLeaving(world, rng, (days + 1) * DAY_MS);
      return {
        size: cards * (1 + COMPROMISED_TERMINAL.repeatShare),
        episode: terminalEpisode(world, shop, start, days, cards),
      };
    }),
};
