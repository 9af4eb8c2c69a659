import { join } from 'node:path';
import { runSimulate, type SimulateResult } from '../commands/simulate.command';

const DAY = 86_400_000;

/** The demo's simulated world: one population, its history, and the days that follow it. */
export interface DemoWorldPlan {
  readonly customers: number;
  /** Days of the whole world; the last `liveDays` of them are replayed live. */
  readonly days: number;
  readonly liveDays: number;
  readonly seed: number;
}

export const DEMO_WORLD: DemoWorldPlan = { customers: 3_000, days: 30, liveDays: 2, seed: 1 };

/** Where the world's time goes: its history (training, feature state) and the following days (replayed live). */
export interface DemoTimeline {
  /** First instant of the world. */
  readonly start: number;
  /** End of the history and start of the live days: `argus state load --until` and `argus replay --from`. */
  readonly cut: number;
  /** Last instant of the world: midnight UTC before the moment it was simulated, so nothing lies in the future. */
  readonly end: number;
  /** The model's windows inside the history, as the trainer reads them (dates are midnight UTC). */
  readonly windows: {
    readonly trainFrom: string;
    readonly trainTo: string;
    readonly testFrom: string;
    readonly testTo: string;
  };
  readonly labelDelayDays: number;
}

const date = (epoch: number): string => new Date(epoch).toISOString().slice(0, 10);

/**
 * The world ends at the last midnight (UTC): its history lies in the past, as a processor's history would, and
 * its last `liveDays` days are "the following days" — replayed with their own timestamps, so velocity windows,
 * label delays and time of day stay as they happened. Anchored at midnight, every run on every machine
 * simulates the same world (same seed, same hours), only dated differently, so the model and what it catches
 * repeat. Inside the history: train on the first 18 days (labels known 3 days later), calibrate on the next 3,
 * evaluate on the rest.
 */
export function demoTimeline(plan: DemoWorldPlan, now: number): DemoTimeline {
  const end = Math.floor(now / DAY) * DAY;
  const start = end - plan.days * DAY;
  const cut = end - plan.liveDays * DAY;
  const trainDays = Math.round((plan.days - plan.liveDays) * 0.65);
  return {
    start,
    cut,
    end,
    windows: {
      trainFrom: date(start),
      trainTo: date(start + trainDays * DAY),
      testFrom: date(start + (trainDays + 3) * DAY),
      testTo: date(cut),
    },
    labelDelayDays: 3,
  };
}

export interface DemoWorld {
  readonly plan: DemoWorldPlan;
  readonly timeline: DemoTimeline;
  /** The world's transactions with their inline labels and scenarios (argus CSV). */
  readonly file: string;
  readonly simulation: SimulateResult;
}

/** Simulates the demo world ending at the last midnight into `<dir>/transactions.csv` (same seed: the same people, every run). */
export async function simulateDemoWorld(dir: string, plan: DemoWorldPlan, now = Date.now()): Promise<DemoWorld> {
  const timeline = demoTimeline(plan, now);
  const simulation = await runSimulate({
    out: dir,
    customers: plan.customers,
    days: plan.days,
    seed: plan.seed,
    start: new Date(timeline.start).toISOString(),
  });
  return { plan, timeline, file: join(dir, 'transactions.csv'), simulation };
}
