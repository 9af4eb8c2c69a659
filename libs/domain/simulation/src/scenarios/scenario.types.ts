import type { FraudLabelPolicy } from '../engine/label.policy';
import type { TransactionDraft } from '../engine/transaction.draft';
import type { Rng } from '../random/seeded.random';
import type { World } from '../world/world.types';
import type { SelectableScenarioName } from './scenario-name.types';

/**
 * Something that happens at `start`: expanded only then (so memory holds the episodes under way, not the
 * whole history) into cases — the transactions one report will cover. Every draft time is ≥ `start`.
 */
export interface Episode {
  readonly start: number;
  expand(rng: Rng): ReadonlyArray<readonly TransactionDraft[]>;
}

export interface PlanContext {
  readonly world: World;
  readonly rng: Rng;
  /** Fraud scenarios: how many fraud transactions to aim for (their share of the fraud rate). */
  readonly budget: number;
}

/** A named scenario with its own parameters (exported next to it) and rate. */
export interface ScenarioModule {
  readonly name: SelectableScenarioName;
  readonly kind: 'fraud' | 'surprise';
  readonly description: string;
  /** Fraud scenarios: relative share of the fraud budget. Surprises: unused (their rate is per customer). */
  readonly weight: number;
  /** Fraud scenarios: how their cases are reported. Surprises label each transaction themselves. */
  readonly labels: FraudLabelPolicy | null;
  /** Plans the episodes; may adjust customers before the run starts (a trip, a synthetic identity). */
  plan(ctx: PlanContext): Episode[];
}
