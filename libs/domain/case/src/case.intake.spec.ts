import { intake, routeAlert, toAlert } from './case.intake';
import { expectedLoss, priority, slaState } from './case.priority';
import { CaseStatus, type Case } from './case.types';
import { alertInput, MINUTE, POLICY, T0 } from './testing/case.fixtures';

let ids = 0;
const newId = () => `case-${++ids}`;

function opened(input = alertInput({ id: 't1' })): Case {
  const result = intake(POLICY, input, null, newId);
  if (result.kind !== 'opened') throw new Error(`expected a new case, got ${result.kind}`);
  return result.case;
}

describe('case intake', () => {
  it('opens a case for a REVIEW in the review queue, its SLA running from the decision', () => {
    const result = intake(POLICY, alertInput({ id: 't1', amountMinor: 12_345 }), null, newId);
    expect(result).toMatchObject({
      kind: 'opened',
      case: { cardId: 'card-1', queue: 'review', status: 'OPEN', openedAt: T0, dueAt: T0 + 240 * MINUTE },
      event: { type: 'OPENED', transactionId: 't1', details: { queue: 'review', amount_at_risk: 123.45 } },
    });
  });

  it('opens nothing for an APPROVE or for a decision no route matches', () => {
    expect(intake(POLICY, alertInput({ id: 't1', outcome: 'APPROVE' }), null, newId)).toEqual({
      kind: 'ignored',
      why: 'APPROVED',
    });
    const narrow = { ...POLICY, routes: [POLICY.routes[0]!] };
    expect(intake(narrow, alertInput({ id: 't1', outcome: 'REVIEW' }), null, newId)).toEqual({
      kind: 'ignored',
      why: 'NO_ROUTE',
    });
  });

  it('routes by outcome, amount in the reference currency, channel, country and score band, first match wins', () => {
    const alert = (options: Parameters<typeof alertInput>[0]) => toAlert(POLICY, alertInput(options))!;
    expect(routeAlert(POLICY, alert({ id: 'a', outcome: 'BLOCK', amountMinor: 150_000 }))?.id).toBe('high-value');
    // 1 000 USD is 900 EUR: below the high-value threshold.
    expect(routeAlert(POLICY, alert({ id: 'b', outcome: 'BLOCK', amountMinor: 100_000, currency: 'USD' }))?.id).toBe(
      'review',
    );
    expect(toAlert(POLICY, alertInput({ id: 'c', amountMinor: 200_000, currency: 'JPY' }))).toMatchObject({
      amountAtRisk: 1_200,
      unconverted: false,
    });
    expect(toAlert(POLICY, alertInput({ id: 'd', amountMinor: 5_000, currency: 'CHF' }))).toMatchObject({
      amountAtRisk: 50,
      unconverted: true,
    });
    const banded = {
      ...POLICY,
      routes: [
        {
          ...POLICY.routes[1]!,
          queue: 'high-value',
          channels: ['ATM' as const],
          countries: ['DE'],
          minScore: 90,
          maxScore: null,
        },
      ],
    };
    expect(routeAlert(banded, alert({ id: 'e', channel: 'ATM', country: 'DE', score: 95 }))?.id).toBe('high-value');
    expect(routeAlert(banded, alert({ id: 'f', channel: 'ATM', country: 'DE', score: 85 }))).toBeNull();
    expect(routeAlert(banded, alert({ id: 'g', channel: 'ATM', country: 'FR', score: 95 }))).toBeNull();
    expect(routeAlert(banded, alert({ id: 'h', channel: 'ECOMMERCE', country: 'DE', score: 95 }))).toBeNull();
    expect(routeAlert(banded, alert({ id: 'i', channel: 'ATM', country: 'DE', score: null }))).toBeNull();
  });

  it('joins later alerts of the card to its open case, once each, moving it to a faster queue', () => {
    const first = opened(alertInput({ id: 't1', amountMinor: 10_000 }));
    const joined = intake(
      POLICY,
      alertInput({ id: 't2', outcome: 'BLOCK', amountMinor: 250_000, at: T0 + 10 * MINUTE }),
      first,
      newId,
    );
    expect(joined).toMatchObject({
      kind: 'joined',
      case: { id: first.id, queue: 'high-value', dueAt: T0 + 40 * MINUTE, version: 2 },
      event: { type: 'ALERT_JOINED', transactionId: 't2', details: { alerts: 2, queue: 'high-value' } },
    });
    if (joined.kind !== 'joined') throw new Error('expected joined');
    expect(joined.case.alerts.map((a) => a.transactionId)).toEqual(['t1', 't2']);
    // A slower queue never gives a case more time; a redelivered decision changes nothing.
    const later = intake(POLICY, alertInput({ id: 't3', at: T0 + 20 * MINUTE }), joined.case, newId);
    expect(later).toMatchObject({ kind: 'joined', case: { queue: 'high-value', dueAt: T0 + 40 * MINUTE } });
    expect(intake(POLICY, alertInput({ id: 't2' }), joined.case, newId)).toEqual({
      kind: 'ignored',
      why: 'ALREADY_IN_CASE',
    });
  });

  it('wakes a snoozed case when a new alert arrives on the card', () => {
    const sleeping: Case = { ...opened(), status: CaseStatus.SNOOZED, snoozedUntil: T0 + 60 * MINUTE };
    const woken = intake(POLICY, alertInput({ id: 't9', at: T0 + 5 * MINUTE }), sleeping, newId);
    expect(woken).toMatchObject({ kind: 'joined', case: { status: 'OPEN', snoozedUntil: null } });
  });
});

describe('case priority', () => {
  it('is expected loss: the most suspicious open alert × everything at risk on the card', () => {
    const first = opened(alertInput({ id: 't1', amountMinor: 10_000, probability: 0.2 }));
    expect(expectedLoss(POLICY, first)).toBeCloseTo(20, 10);
    const joined = intake(POLICY, alertInput({ id: 't2', amountMinor: 30_000, probability: 0.6 }), first, newId);
    if (joined.kind !== 'joined') throw new Error('expected joined');
    expect(expectedLoss(POLICY, joined.case)).toBeCloseTo(0.6 * 400, 10);
  });

  it('uses the policy probability for unscored alerts, and raises it for a failed step-up or reported fraud', () => {
    const unscoredBlock = opened(alertInput({ id: 't1', outcome: 'BLOCK', amountMinor: 10_000, probability: null }));
    expect(expectedLoss(POLICY, unscoredBlock)).toBeCloseTo(50, 10);
    const failed = { ...unscoredBlock, alerts: [{ ...unscoredBlock.alerts[0]!, stepUp: 'FAILED' as const }] };
    expect(expectedLoss(POLICY, failed)).toBeCloseTo(90, 10);
    const reported = { ...unscoredBlock, alerts: [{ ...unscoredBlock.alerts[0]!, reportedFraud: true }] };
    expect(expectedLoss(POLICY, reported)).toBeCloseTo(100, 10);
    const passed = { ...unscoredBlock, alerts: [{ ...unscoredBlock.alerts[0]!, stepUp: 'PASSED' as const }] };
    expect(expectedLoss(POLICY, passed)).toBe(0);
  });

  it('grows with the share of the SLA used, so a breached case outranks a fresh one of the same loss', () => {
    const kase = opened(alertInput({ id: 't1', amountMinor: 10_000, probability: 0.2 }));
    expect(priority(POLICY, kase, T0)).toBeCloseTo(20, 10);
    expect(priority(POLICY, kase, T0 + 120 * MINUTE)).toBeCloseTo(30, 10);
    expect(slaState(kase, T0 + 300 * MINUTE)).toMatchObject({ breached: true, remainingMs: -60 * MINUTE, used: 1.25 });
    expect(priority(POLICY, kase, T0 + 300 * MINUTE)).toBeCloseTo(45, 10);
    expect(priority(POLICY, { ...kase, status: CaseStatus.CLOSED }, T0)).toBe(0);
  });
});
