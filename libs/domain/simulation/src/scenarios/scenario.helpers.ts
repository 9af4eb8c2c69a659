import type { TransactionDraft } from '../engine/transaction.draft';
import { Rng } from '../random/seeded.random';
import type { Customer, FraudRing, Merchant, MerchantChoice, World } from '../world/world.types';
import type { SurpriseScenarioName } from './scenario-name.types';
import type { Episode, PlanContext } from './scenario.types';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type Range = readonly [number, number];

/** Uniform in a [min, max) range of parameters. */
export const within = (rng: Rng, [min, max]: Range): number => rng.between(min, max);
/** Middle of a range of parameters: the typical value. */
export const middle = ([min, max]: Range): number => (min + max) / 2;
/** Integer in a [min, max] range of parameters, both included. */
export const countWithin = (rng: Rng, [min, max]: Range): number => rng.intBetween(min, max);

export const windowDays = (world: World): number => (world.end - world.start) / DAY_MS;

/**
 * Plans episodes while the budget has room for about half an episode more (`typicalSize` fraud
 * transactions), so a run's fraud share stays near the target; a budget below half an episode plans none.
 * `make` returns null when no episode is possible (no victim left), else the episode and its planned size.
 */
export function planUntilBudget(
  budget: number,
  typicalSize: number,
  make: () => { episode: Episode; size: number } | null,
): Episode[] {
  const episodes: Episode[] = [];
  let planned = 0;
  while (budget - planned >= typicalSize / 2) {
    const next = make();
    if (next === null) break;
    episodes.push(next.episode);
    planned += Math.max(1, next.size);
  }
  return episodes;
}

/** A customer living their ordinary life (not a synthetic identity), optionally matching `accept`. */
export function pickVictim(world: World, rng: Rng, accept: (c: Customer) => boolean = () => true): Customer | null {
  for (let k = 0; k < 64; k++) {
    const customer = rng.pick(world.customers);
    if (customer.tag === 'baseline' && accept(customer)) return customer;
  }
  return null;
}

/** Draws victims for one scenario, never the same customer twice: each episode's signature stays its own. */
export function victimDrawer(world: World, rng: Rng): () => Customer | null {
  const taken = new Set<number>();
  return () => {
    const victim = pickVictim(world, rng, (c) => !taken.has(c.index));
    if (victim !== null) taken.add(victim.index);
    return victim;
  };
}

/** A start leaving `durationMs` before the end of the simulated window (or the window start when it is short). */
export function startLeaving(world: World, rng: Rng, durationMs: number): number {
  const latest = world.end - durationMs;
  return latest <= world.start ? world.start : Math.floor(rng.between(world.start, latest));
}

/** The first time ≥ `time` whose local hour (at `utcOffset`) falls in [fromHour, toHour), at a random minute. */
export function atLocalHours(time: number, utcOffset: number, fromHour: number, toHour: number, rng: Rng): number {
  const offsetMs = utcOffset * HOUR_MS;
  const dayStart = Math.floor((time + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const candidate = dayStart + Math.floor(rng.between(fromHour, toHour) * HOUR_MS);
  return candidate >= time ? candidate : candidate + DAY_MS;
}

/** `count` times in [start, start + spanMs), sorted. */
export function timesWithin(rng: Rng, start: number, spanMs: number, count: number): number[] {
  return Array.from({ length: count }, () => start + Math.floor(rng.next() * spanMs)).sort((a, b) => a - b);
}

export function merchantFrom(world: World, choice: MerchantChoice, rng: Rng): Merchant {
  return world.merchants.merchants[choice.merchants[choice.table.draw(rng)]];
}

/** Online merchants of any of these categories. */
export function onlineMerchantsOf(world: World, mccs: readonly string[]): Merchant[] {
  return mccs.flatMap((mcc) =>
    (world.merchants.onlineByMcc.get(mcc)?.merchants ?? []).map((m) => world.merchants.merchants[m]),
  );
}

/** A fraud ring, preferring one based outside `avoidCountry`. */
export function pickRing(world: World, rng: Rng, avoidCountry?: string): FraudRing {
  const abroad = world.rings.filter((r) => r.place.country !== avoidCountry);
  return rng.pick(abroad.length > 0 ? abroad : world.rings);
}

/** One episode whose single case is built when it starts. */
export function singleCase(start: number, build: (rng: Rng) => TransactionDraft[]): Episode {
  return { start, expand: (rng) => [build(rng)] };
}

/**
 * Surprises happen to ordinary customers: each, with `perMonth` chance per 30 days, gets what `make` returns.
 * Each customer draws from its own stream, so other scenarios do not change who gets one.
 */
export function perCustomer(
  world: World,
  name: SurpriseScenarioName,
  perMonth: number,
  make: (customer: Customer, rng: Rng) => Episode | null,
): Episode[] {
  const chance = Math.min(0.9, (perMonth * windowDays(world)) / 30);
  const episodes: Episode[] = [];
  for (const customer of world.customers) {
    const rng = Rng.derive(world.seed, name, customer.index);
    if (customer.tag !== 'baseline' || !rng.chance(chance)) continue;
    const episode = make(customer, rng);
    if (episode !== null) episodes.push(episode);
  }
  return episodes;
}

/**
 * Episodes of one victim each (never the same one twice) until the budget is spent, each starting early
 * enough to leave `spanMs` before the end of the window; `build` draws the victim's case when it starts.
 */
export function singleVictimEpisodes(
  { world, rng, budget }: PlanContext,
  typicalSize: number,
  spanMs: number,
  build: (victim: Customer, start: number, rng: Rng) => TransactionDraft[],
): Episode[] {
  const nextVictim = victimDrawer(world, rng);
  return planUntilBudget(budget, typicalSize, () => {
    const victim = nextVictim();
    if (victim === null) return null;
    const start = startLeaving(world, rng, spanMs);
    return { size: typicalSize, episode: singleCase(start, (r) => build(victim, start, r)) };
  });
}
