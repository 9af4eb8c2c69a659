import { breachNotification, intakeNotifications } from './case.notifications';
import { intake } from './case.intake';
import { alertInput, MINUTE, POLICY, T0 } from './testing/case.fixtures';

const newId = () => 'case-1';

describe('chat notifications', () => {
  it('announces a BLOCK at or above the amount, once per transaction, and nothing else', () => {
    const block = intake(POLICY, alertInput({ id: 't1', outcome: 'BLOCK', amountMinor: 300_000 }), null, newId);
    const [notification, ...rest] = intakeNotifications(POLICY, block);
    expect(rest).toEqual([]);
    expect(notification).toMatchObject({ id: 'HIGH_VALUE_BLOCK:t1', kind: 'HIGH_VALUE_BLOCK', caseId: 'case-1' });
    expect(notification!.text).toBe(
      ':no_entry: BLOCK of 3,000.00 EUR (3,000.00 EUR at risk, score 80) on card card-1: case case-1 in queue high-value',
    );
    const small = intake(POLICY, alertInput({ id: 't2', outcome: 'BLOCK', amountMinor: 200_000 }), null, newId);
    const review = intake(POLICY, alertInput({ id: 't3', outcome: 'REVIEW', amountMinor: 900_000 }), null, newId);
    expect([...intakeNotifications(POLICY, small), ...intakeNotifications(POLICY, review)]).toEqual([]);
    const off = { ...POLICY, notifications: { blockAtLeast: null, slaBreach: false } };
    expect(intakeNotifications(off, block)).toEqual([]);
  });

  it('announces a breach once per case and deadline, only past it, and only when the policy asks', () => {
    const opened = intake(POLICY, alertInput({ id: 't1', amountMinor: 10_000 }), null, newId);
    if (opened.kind === 'ignored') throw new Error('expected a case');
    const kase = opened.case;
    expect(breachNotification(POLICY, kase, kase.dueAt - MINUTE)).toBeNull();
    const late = breachNotification(POLICY, kase, kase.dueAt + 12 * MINUTE)!;
    expect(late.id).toBe(`SLA_BREACH:case-1:${kase.dueAt}`);
    expect(late.text).toContain('is 12 min past its SLA (nobody holds it');
    expect(breachNotification(POLICY, kase, kase.dueAt + 99 * MINUTE)!.id).toBe(late.id);
    expect(
      breachNotification({ ...POLICY, notifications: { blockAtLeast: null, slaBreach: false } }, kase, T0 * 2),
    ).toBeNull();
  });
});
