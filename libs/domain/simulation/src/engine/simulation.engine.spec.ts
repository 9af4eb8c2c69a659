import { createHash } from 'node:crypto';
import { LabelSource, LabelValue } from '@argus/contracts';
import { simulationCsvChunks } from '../output/simulation-csv.stream';
import { scenarioModule } from '../scenarios/scenario.registry';
import type { SelectableScenarioName } from '../scenarios/scenario-name.types';
import { SimulationErrorCode } from '../simulation.errors';
import type { SimulationOptions } from '../simulation.options';
import { LEGIT_REVIEW_DELAY, STEP_UP_DELAY } from './label.policy';
import { simulate } from './simulation.engine';
import type { SimulatedRow } from './simulated-row.types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SMALL: SimulationOptions = { customers: 400, days: 20, seed: 11, fraudRate: 0.05 };

function csvDigest(options: SimulationOptions): string {
  const hash = createHash('sha256');
  for (const chunk of simulationCsvChunks(simulate(options)))
    hash.update(chunk.transactions).update('\0').update(chunk.labels);
  return hash.digest('hex');
}

describe('simulate', () => {
  let rows: SimulatedRow[];
  const options: SimulationOptions = { customers: 1500, days: 30, seed: 5, fraudRate: 0.03 };

  beforeAll(() => {
    rows = [...simulate(options)];
  });

  it('gives byte-identical files for the same options, and different ones for another seed', () => {
    const first = csvDigest(SMALL);
    expect(csvDigest(SMALL)).toBe(first);
    expect(csvDigest({ ...SMALL, seed: 12 })).not.toBe(first);
  });

  it('emits transactions in event-time order, inside the window, with unique stable ids', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].transaction.event_time).toBeGreaterThanOrEqual(rows[i - 1].transaction.event_time);
    }
    expect(rows[0].transaction.event_time).toBeGreaterThanOrEqual(start);
    expect(rows[rows.length - 1].transaction.event_time).toBeLessThan(start + 30 * DAY_MS);
    const ids = rows.map((r) => r.transaction.transaction_id);
    expect(new Set(ids).size).toBe(rows.length);
    expect(ids[0]).toBe('sim5_tx000000001');
  });

  it('labels every fraud transaction FRAUD and no legitimate one', () => {
    for (const row of rows) {
      if (row.fraud) expect(row.label?.label).toBe(LabelValue.FRAUD);
      else expect(row.label?.label ?? LabelValue.LEGITIMATE).toBe(LabelValue.LEGITIMATE);
      expect(row.transaction.attributes).toEqual({ scenario: row.scenario });
    }
  });

  it('never reports a label before its transaction, and delays fraud labels as the scenario policy says', () => {
    const labelled = rows.filter((r) => r.label !== null);
    expect(labelled.length).toBeGreaterThan(0);
    for (const { label, transaction, scenario, fraud } of labelled) {
      const delayHours = (label!.reported_at - transaction.event_time) / HOUR_MS;
      expect(label!.event_time).toBe(transaction.event_time);
      expect(delayHours).toBeGreaterThan(0);
      if (fraud) {
        const policy = scenarioModule(scenario as SelectableScenarioName).labels!;
        const spec = label!.source === LabelSource.CHARGEBACK ? policy.chargeback : policy.analyst;
        expect([LabelSource.CHARGEBACK, LabelSource.ANALYST]).toContain(label!.source);
        // Measured from this transaction, not the case's last one: up to a case's span (two weeks) more.
        expect(delayHours).toBeGreaterThanOrEqual(spec.minHours);
        expect(delayHours).toBeLessThanOrEqual(spec.maxHours + 16 * 24);
      } else {
        const spec = label!.source === LabelSource.STEP_UP ? STEP_UP_DELAY : LEGIT_REVIEW_DELAY;
        expect(delayHours).toBeGreaterThanOrEqual(spec.minHours);
        expect(delayHours).toBeLessThanOrEqual(spec.maxHours);
      }
    }
  });

  it('reports chargebacks days later and some analyst confirmations within hours', () => {
    const fraud = rows.filter((r) => r.fraud);
    const delays = (source: LabelSource) =>
      fraud
        .filter((r) => r.label!.source === source)
        .map((r) => (r.label!.reported_at - r.transaction.event_time) / HOUR_MS);
    expect(Math.min(...delays(LabelSource.CHARGEBACK))).toBeGreaterThanOrEqual(48);
    expect(delays(LabelSource.ANALYST).some((h) => h < 24)).toBe(true);
  });

  it('comes close to the requested fraud rate', () => {
    const share = rows.filter((r) => r.fraud).length / rows.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.045);
  });

  it('summarises what it generated, per scenario', () => {
    const simulation = simulate(SMALL);
    expect(() => simulation.summary()).toThrow(expect.objectContaining({ code: SimulationErrorCode.NOT_FINISHED }));
    const generated = [...simulation];
    const summary = simulation.summary();
    expect(summary.transactions).toBe(generated.length);
    expect(summary.fraud_transactions).toBe(generated.filter((r) => r.fraud).length);
    expect(summary.scenarios.reduce((sum, s) => sum + s.transactions, 0)).toBe(generated.length);
    const mule = summary.scenarios.find((s) => s.scenario === 'mule_fan_in')!;
    expect(mule.customers).toBe(
      new Set(generated.filter((r) => r.scenario === 'mule_fan_in').map((r) => r.transaction.customer_id)).size,
    );
    expect(mule.label_delay.p50_hours).not.toBeNull();
    expect(summary.labels.total).toBe(generated.filter((r) => r.label !== null).length);
  });

  it('runs only the scenarios asked for, and leaves the customers own lives unchanged by that choice', () => {
    const baseline = (scenarios: string[]) =>
      [...simulate({ ...SMALL, scenarios })]
        .filter((r) => r.scenario === 'baseline')
        .map((r) => ({ ...r.transaction, transaction_id: '' }));
    const withTesting = [...simulate({ ...SMALL, scenarios: ['card_testing'] })];
    expect(new Set(withTesting.map((r) => r.scenario))).toEqual(new Set(['baseline', 'card_testing']));
    expect(baseline(['card_testing'])).toEqual(baseline(['customer_anomaly', 'large_purchase']));
  });

  it('writes test card numbers in pan instead of card ids when asked, and changes nothing else', () => {
    const plain = [...simulate(SMALL)];
    const withPan = [...simulate({ ...SMALL, withPan: true })];
    expect(withPan.length).toBe(plain.length);
    withPan.forEach((row, i) => {
      const t = row.transaction;
      if (plain[i].transaction.account_id !== null) {
        expect(t.pan).toBeNull();
        expect(t.card_id).toBe(plain[i].transaction.card_id);
      } else {
        expect(t.card_id).toBeNull();
        // Luhn validity: entity-ids.format.spec.ts, and the CLI spec through @argus/transaction.
        expect(t.pan).toMatch(/^(400000|424242|510510|555555)\d{10}$/);
        if (row.label !== null) expect(row.label.card_id).toBe('');
      }
      expect({ ...t, pan: null, card_id: null }).toEqual({ ...plain[i].transaction, pan: null, card_id: null });
    });
  });

  it('refuses bad options with a typed error naming the option', () => {
    expect(() => simulate({ customers: 0 })).toThrow(
      expect.objectContaining({ code: SimulationErrorCode.INVALID_OPTION, option: 'customers' }),
    );
    expect(() => simulate({ fraudRate: 0.9 })).toThrow(expect.objectContaining({ option: 'fraudRate' }));
    expect(() => simulate({ start: '2026-13-01' })).toThrow(expect.objectContaining({ option: 'start' }));
    expect(() => simulate({ start: 'yesterday' })).toThrow(expect.objectContaining({ option: 'start' }));
    expect(() => simulate({ scenarios: ['card_testing', 'bank_robbery'] })).toThrow(
      expect.objectContaining({
        code: SimulationErrorCode.UNKNOWN_SCENARIO,
        message: expect.stringContaining('bank_robbery'),
      }),
    );
  });
});
