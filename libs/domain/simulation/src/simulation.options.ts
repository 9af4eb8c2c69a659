import { SCENARIOS, type SelectableScenarioName } from './scenarios/scenario-name.types';
import { SimulationError, SimulationErrorCode } from './simulation.errors';

export interface SimulationOptions {
  /** Customers in the population (default 5,000, at most 500,000). */
  readonly customers?: number;
  /** Length of the simulated window in days (default 30). */
  readonly days?: number;
  /** Seed of every random draw: the same options give byte-identical output (default 1). */
  readonly seed?: number;
  /** Target share of fraud transactions among all (default 0.01). */
  readonly fraudRate?: number;
  /** Scenarios to run (default all, fraud and legitimate surprises). Customers' ordinary life always runs. */
  readonly scenarios?: readonly string[];
  /** Start of the window: ISO-8601 (with Z or an offset; a date alone is midnight UTC) or epoch millis. */
  readonly start?: string | number;
  /** Write Luhn-valid test card numbers in `pan` instead of `card_id` tokens. */
  readonly withPan?: boolean;
}

export interface ResolvedSimulationOptions {
  readonly customers: number;
  readonly days: number;
  readonly seed: number;
  readonly fraudRate: number;
  readonly scenarios: readonly SelectableScenarioName[];
  /** Epoch millis. */
  readonly start: number;
  readonly end: number;
  readonly withPan: boolean;
}

export const SIMULATION_DEFAULTS = {
  customers: 5000,
  days: 30,
  seed: 1,
  fraudRate: 0.01,
  /** Fixed, not "now": a default that moved would make two runs differ. */
  start: '2026-01-01T00:00:00Z',
} as const;

/** The population stays in memory (about 5 KB a customer). */
const MAX_CUSTOMERS = 500_000;
const MAX_DAYS = 3660;
const MAX_FRAUD_RATE = 0.5;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const DAY_MS = 86_400_000;

function invalid(option: string, message: string): SimulationError {
  return new SimulationError(SimulationErrorCode.INVALID_OPTION, `${option} ${message}`, option);
}

function wholeNumber(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(option, `must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function parseStart(value: string | number): number {
  const ms = typeof value === 'number' ? value : ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw invalid('start', `must be an ISO-8601 time with Z or an offset (or a date), got "${value}"`);
  }
  return ms;
}

function parseScenarios(names: readonly string[] | undefined): SelectableScenarioName[] {
  if (names === undefined) return [...SCENARIOS];
  const known: readonly string[] = SCENARIOS;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new SimulationError(
      SimulationErrorCode.UNKNOWN_SCENARIO,
      `unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`,
      'scenarios',
    );
  }
  return SCENARIOS.filter((n) => names.includes(n));
}

/** Fills defaults and checks every option; throws `SimulationError` naming the first bad one. */
export function resolveSimulationOptions(options: SimulationOptions = {}): ResolvedSimulationOptions {
  const customers = wholeNumber('customers', options.customers ?? SIMULATION_DEFAULTS.customers, 1, MAX_CUSTOMERS);
  const days = wholeNumber('days', options.days ?? SIMULATION_DEFAULTS.days, 1, MAX_DAYS);
  const seed = wholeNumber('seed', options.seed ?? SIMULATION_DEFAULTS.seed, 0, 0xffffffff);
  const fraudRate = options.fraudRate ?? SIMULATION_DEFAULTS.fraudRate;
  if (!(fraudRate >= 0 && fraudRate <= MAX_FRAUD_RATE)) {
    throw invalid('fraudRate', `must be between 0 and ${MAX_FRAUD_RATE}, got ${fraudRate}`);
  }
  const start = parseStart(options.start ?? SIMULATION_DEFAULTS.start);
  return {
    customers,
    days,
    seed,
    fraudRate,
    scenarios: parseScenarios(options.scenarios),
    start,
    end: start + days * DAY_MS,
    withPan: options.withPan === true,
  };
}
