import { accountTakeoverScenario } from './account-takeover.scenario';
import { cardTestingScenario } from './card-testing.scenario';
import { compromisedTerminalScenario } from './compromised-terminal.scenario';
import { customerAnomalyScenario } from './customer-anomaly.scenario';
import { largePurchaseScenario, newCategoryScenario } from './habit-change.scenarios';
import { muleFanInScenario } from './mule-fan-in.scenario';
import type { SelectableScenarioName } from './scenario-name.types';
import type { ScenarioModule } from './scenario.types';
import { stolenCardScenario } from './stolen-card.scenario';
import { syntheticIdentityScenario } from './synthetic-identity.scenario';
import { travelScenario } from './travel.scenario';

/**
 * Every scenario, in planning order: those that reshape customers first (a synthetic identity is nobody's
 * victim and takes no trips; a trip decides where a customer is), then the ones that only add transactions.
 */
export const SCENARIO_MODULES: readonly ScenarioModule[] = [
  syntheticIdentityScenario,
  travelScenario,
  compromisedTerminalScenario,
  stolenCardScenario,
  accountTakeoverScenario,
  cardTestingScenario,
  customerAnomalyScenario,
  muleFanInScenario,
  newCategoryScenario,
  largePurchaseScenario,
];

export function scenarioModule(name: SelectableScenarioName): ScenarioModule {
  return SCENARIO_MODULES.find((m) => m.name === name) as ScenarioModule;
}
