export { simulate, type Simulation } from './engine/simulation.engine';
export type { SimulatedRow } from './engine/simulated-row.types';
export type { LabelDelaySummary, ScenarioSummary, SimulationSummary } from './engine/summary.collector';
export {
  ANALYST_DELAY,
  CHARGEBACK_DELAY,
  LEGIT_REVIEW_DELAY,
  STEP_UP_DELAY,
  type DelaySpec,
  type FraudLabelPolicy,
} from './engine/label.policy';
export { LABEL_CSV_COLUMNS, labelCsvLine } from './output/label-csv.format';
export { simulationCsvChunks, type CsvChunk } from './output/simulation-csv.stream';
export { formatSummaryTable } from './output/summary-table.format';
export { TRANSACTION_CSV_COLUMNS, csvCell, transactionCsvLine } from './output/transaction-csv.format';
export {
  FRAUD_SCENARIOS,
  SCENARIOS,
  SURPRISE_SCENARIOS,
  type FraudScenarioName,
  type ScenarioName,
  type SelectableScenarioName,
  type SurpriseScenarioName,
} from './scenarios/scenario-name.types';
export { SCENARIO_MODULES, scenarioModule } from './scenarios/scenario.registry';
export type { ScenarioModule } from './scenarios/scenario.types';
export { ACCOUNT_TAKEOVER } from './scenarios/account-takeover.scenario';
export { CARD_TESTING } from './scenarios/card-testing.scenario';
export { COMPROMISED_TERMINAL } from './scenarios/compromised-terminal.scenario';
export { CUSTOMER_ANOMALY } from './scenarios/customer-anomaly.scenario';
export { LARGE_PURCHASE, NEW_CATEGORY } from './scenarios/habit-change.scenarios';
export { MULE_FAN_IN, MULE_REPORT_DELAY } from './scenarios/mule-fan-in.scenario';
export { STOLEN_CARD } from './scenarios/stolen-card.scenario';
export { SYNTHETIC_IDENTITY, SYNTHETIC_IDENTITY_REPORT_DELAY } from './scenarios/synthetic-identity.scenario';
export { TRAVEL } from './scenarios/travel.scenario';
export { SimulationError, SimulationErrorCode } from './simulation.errors';
export {
  SIMULATION_DEFAULTS,
  resolveSimulationOptions,
  type ResolvedSimulationOptions,
  type SimulationOptions,
} from './simulation.options';
export { distanceKm } from './world/geo.math';
export { luhnCheckDigit, testPan } from './world/entity-ids.format';
export { UNITS_PER_USD, minorToUsd, minorUnitExponent } from './world/places.data';
