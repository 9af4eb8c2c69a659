import { intake, slaState, type AlertInput } from '@argus/case';
import { alertInput, POLICY, T0 } from '@argus/case/testing';
import type { CaseFile } from '@argus/cases';
import type { Decision } from '@argus/contracts';
import { FEATURE_CATALOG } from '@argus/features';
import { caseFileView } from './case-api.views';

/** The case file of one alert, as the case API reads it back from the store. */
function fileOf(input: AlertInput): CaseFile {
  const { decision } = input;
  const opened = intake(POLICY, input, null, () => 'case-1');
  if (opened.kind === 'ignored') throw new Error(`not a case: ${opened.why}`);
  const kase = opened.case;
  return {
    case: kase,
    status: kase.status,
    sla: slaState(kase, T0),
    expectedLoss: 0,
    alerts: [
      {
        transactionId: decision.transaction_id,
        caseId: kase.id,
        decidedAt: decision.timings.decided_at,
        outcome: decision.outcome as 'REVIEW' | 'BLOCK',
        // Stored as JSON (JSONB): what the view reads is what JSON carries.
        decision: JSON.parse(JSON.stringify(decision)) as unknown,
      },
    ],
    events: [],
    recent: { card: [], customer: [] },
    linked: [],
  };
}

describe('caseFileView', () => {
  it("gives each alert its decision's whole feature vector, each feature in plain words", () => {
    const features = FEATURE_CATALOG.map((feature, i) => ({ name: feature.name, value: i === 1 ? null : i }));
    const [alert] = caseFileView(fileOf(alertInput({ id: 't1', outcome: 'BLOCK', features }))).alerts;
    expect(alert!.features).toHaveLength(FEATURE_CATALOG.length);
    expect(alert!.features![0]).toEqual({ name: 'amount', value: 0, description: FEATURE_CATALOG[0]!.description });
    expect(alert!.features![1]).toEqual({ name: 'log_amount', value: null, description: 'log10(1 + amount)' });
    expect(alert!.features!.every((feature) => feature.description.length > 0)).toBe(true);
  });

  it('names a feature this catalog does not know by itself, and has no vector for a decision without one', () => {
    const named = alertInput({ id: 't1', features: [{ name: 'from_a_newer_catalog', value: 2 }] });
    expect(caseFileView(fileOf(named)).alerts[0]!.features).toEqual([
      { name: 'from_a_newer_catalog', value: 2, description: 'from_a_newer_catalog' },
    ]);
    expect(caseFileView(fileOf(alertInput({ id: 't2' }))).alerts[0]!.features).toBeNull();
    // A decision stored before decisions carried the vector has no `features` at all.
    const input = alertInput({ id: 't3' });
    const { features: _none, ...older } = input.decision;
    expect(caseFileView(fileOf({ ...input, decision: older as Decision })).alerts[0]!.features).toBeNull();
  });
});
