import type { Label, Transaction } from '@argus/contracts';
import type { ScenarioName } from '../scenarios/scenario-name.types';

/** One generated transaction, its label when it gets one, and the scenario that produced it. */
export interface SimulatedRow {
  /** `attributes.scenario` repeats `scenario` (the argus CSV carries it as a column). */
  readonly transaction: Transaction;
  /** FRAUD for every fraud transaction; LEGITIMATE for some legitimate ones; null for the rest. */
  readonly label: Label | null;
  readonly scenario: ScenarioName;
  readonly fraud: boolean;
}
