import { LabelValue } from '@argus/contracts';
import { FRAUD_SCENARIOS, SCENARIOS, type ScenarioName } from '../scenarios/scenario-name.types';
import type { ResolvedSimulationOptions } from '../simulation.options';
import { minorToUsd } from '../world/places.data';
import type { SimulatedRow } from './simulated-row.types';

const HOUR_MS = 3_600_000;

export interface LabelDelaySummary {
  /** Hours from the transaction to its label, percentiles over the scenario's labelled transactions. */
  readonly p50_hours: number | null;
  readonly p90_hours: number | null;
}

export interface ScenarioSummary {
  readonly scenario: ScenarioName;
  readonly kind: 'baseline' | 'fraud' | 'surprise';
  /** Distinct customers with a transaction in the scenario (victims, travellers, identities). */
  readonly customers: number;
  /** Distinct card ids (accounts, for transfers). */
  readonly cards: number;
  readonly transactions: number;
  readonly fraud_transactions: number;
  readonly labelled: number;
  /** Sum of amounts in US dollars at the fixed reference rates (amounts are in several currencies). */
  readonly amount_usd: number;
  readonly fraud_amount_usd: number;
  readonly label_delay: LabelDelaySummary;
}

export interface SimulationSummary {
  readonly options: {
    readonly customers: number;
    readonly days: number;
    readonly seed: number;
    readonly fraud_rate: number;
    readonly scenarios: readonly string[];
    readonly start: string;
    readonly end: string;
    readonly with_pan: boolean;
  };
  readonly transactions: number;
  readonly fraud_transactions: number;
  readonly fraud_share: number;
  readonly labels: {
    readonly total: number;
    readonly fraud: number;
    readonly legitimate: number;
    readonly by_source: Readonly<Record<string, number>>;
    /** Latest report time: labels may arrive after the window ends (chargebacks take weeks). */
    readonly last_reported_at: string | null;
  };
  readonly first_event_time: string | null;
  readonly last_event_time: string | null;
  readonly scenarios: readonly ScenarioSummary[];
}

class ScenarioTally {
  readonly customers = new Set<string>();
  readonly cards = new Set<string>();
  transactions = 0;
  fraud = 0;
  amountUsd = 0;
  fraudAmountUsd = 0;
  readonly delays: number[] = [];
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)], 3);
}

const KIND = (scenario: ScenarioName): ScenarioSummary['kind'] =>
  scenario === 'baseline'
    ? 'baseline'
    : (FRAUD_SCENARIOS as readonly string[]).includes(scenario)
      ? 'fraud'
      : 'surprise';

/** Counts what a run generated, per scenario, as rows go by (a few numbers and id sets: no rows kept). */
export class SummaryCollector {
  private readonly tallies = new Map<ScenarioName, ScenarioTally>();
  private readonly bySource: Record<string, number> = {};
  private transactions = 0;
  private fraud = 0;
  private labelsFraud = 0;
  private labelsLegit = 0;
  private first: number | null = null;
  private last: number | null = null;
  private lastReported: number | null = null;

  constructor(private readonly options: ResolvedSimulationOptions) {
    for (const name of ['baseline' as const, ...options.scenarios]) this.tallies.set(name, new ScenarioTally());
  }

  add(row: SimulatedRow): void {
    const { transaction: t, label } = row;
    const tally = this.tallies.get(row.scenario) ?? new ScenarioTally();
    this.tallies.set(row.scenario, tally);
    const usd = minorToUsd(t.amount_minor, t.currency);
    tally.transactions += 1;
    tally.amountUsd += usd;
    tally.customers.add(t.customer_id);
    tally.cards.add(t.card_id ?? t.pan ?? '');
    this.transactions += 1;
    this.first ??= t.event_time;
    this.last = t.event_time;
    if (row.fraud) {
      tally.fraud += 1;
      tally.fraudAmountUsd += usd;
      this.fraud += 1;
    }
    if (label !== null) {
      tally.delays.push(label.reported_at - t.event_time);
      this.bySource[label.source] = (this.bySource[label.source] ?? 0) + 1;
      if (label.label === LabelValue.FRAUD) this.labelsFraud += 1;
      else this.labelsLegit += 1;
      this.lastReported = Math.max(this.lastReported ?? label.reported_at, label.reported_at);
    }
  }

  summary(): SimulationSummary {
    const o = this.options;
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    const order: ScenarioName[] = ['baseline', ...SCENARIOS];
    const scenarios = order
      .filter((name) => this.tallies.has(name))
      .map((name): ScenarioSummary => {
        const tally = this.tallies.get(name) as ScenarioTally;
        const delays = [...tally.delays].sort((a, b) => a - b).map((ms) => ms / HOUR_MS);
        return {
          scenario: name,
          kind: KIND(name),
          customers: tally.customers.size,
          cards: tally.cards.size,
          transactions: tally.transactions,
          fraud_transactions: tally.fraud,
          labelled: tally.delays.length,
          amount_usd: round(tally.amountUsd, 2),
          fraud_amount_usd: round(tally.fraudAmountUsd, 2),
          label_delay: { p50_hours: percentile(delays, 0.5), p90_hours: percentile(delays, 0.9) },
        };
      });
    const sources = Object.fromEntries(Object.entries(this.bySource).sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
      options: {
        customers: o.customers,
        days: o.days,
        seed: o.seed,
        fraud_rate: o.fraudRate,
        scenarios: o.scenarios,
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
        with_pan: o.withPan,
      },
      transactions: this.transactions,
      fraud_transactions: this.fraud,
      fraud_share: this.transactions === 0 ? 0 : round(this.fraud / this.transactions, 5),
      labels: {
        total: this.labelsFraud + this.labelsLegit,
        fraud: this.labelsFraud,
        legitimate: this.labelsLegit,
        by_source: sources,
        last_reported_at: iso(this.lastReported),
      },
      first_event_time: iso(this.first),
      last_event_time: iso(this.last),
      scenarios,
    };
  }
}
