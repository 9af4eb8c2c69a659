import { CaseError, CaseErrorCode } from './case.errors';
import { intake } from './case.intake';
import { CaseStatus, Disposition, SYSTEM, type Actor, type Case } from './case.types';
import { act, effectiveStatus, needsApproval, type ActResult, type CaseAction } from './case.workflow';
import { alertInput, MINUTE, POLICY, T0 } from './testing/case.fixtures';

const ana: Actor = { id: 'ana', role: 'analyst' };
const bob: Actor = { id: 'bob', role: 'analyst' };
const sue: Actor = { id: 'sue', role: 'supervisor' };
const tom: Actor = { id: 'tom', role: 'supervisor' };

function open(options: Parameters<typeof alertInput>[0] = { id: 't1' }): Case {
  const result = intake(POLICY, alertInput(options), null, () => 'case-1');
  if (result.kind !== 'opened') throw new Error('expected a new case');
  return result.case;
}

/** Applies actions in turn, a minute apart; returns the last result. */
function run(kase: Case, steps: ReadonlyArray<[Actor, CaseAction]>): ActResult {
  let result: ActResult = { case: kase, events: [], closure: null };
  steps.forEach(([actor, action], i) => {
    result = act(POLICY, result.case, actor, action, T0 + (i + 1) * MINUTE);
  });
  return result;
}

function refusal(action: () => unknown): CaseErrorCode {
  try {
    action();
  } catch (error) {
    if (error instanceof CaseError) return error.code;
    throw error;
  }
  throw new Error('expected a CaseError');
}

describe('case workflow', () => {
  it('an analyst claims, notes and closes a REVIEW as legitimate; the closure lists its transactions', () => {
    const result = run(open(), [
      [ana, { type: 'view' }],
      [ana, { type: 'claim' }],
      [ana, { type: 'note', text: ' customer confirmed by phone ' }],
      [ana, { type: 'dispose', disposition: Disposition.LEGITIMATE, reasonCode: 'CUSTOMER_CONFIRMED' }],
    ]);
    expect(result.case).toMatchObject({ status: 'CLOSED', disposition: 'LEGITIMATE', closedAt: T0 + 4 * MINUTE });
    expect(result.closure).toEqual({
      disposition: 'LEGITIMATE',
      reasonCode: 'CUSTOMER_CONFIRMED',
      decidedBy: 'ana',
      approvedBy: null,
      transactionIds: ['t1'],
    });
    expect(result.events.map((e) => e.type)).toEqual(['CLOSED']);
  });

  it('records every action as an event, a view included, without changing the case for a view', () => {
    const kase = open();
    const viewed = act(POLICY, kase, ana, { type: 'view' }, T0);
    expect(viewed.case).toBe(kase);
    expect(viewed.events).toEqual([
      { caseId: 'case-1', type: 'VIEWED', actor: 'ana', at: T0, transactionId: null, details: {} },
    ]);
  });

  it('keeps a claim for its holder until it expires, then anyone may take the case', () => {
    const claimed = act(POLICY, open(), ana, { type: 'claim' }, T0).case;
    expect(refusal(() => act(POLICY, claimed, bob, { type: 'claim' }, T0 + MINUTE))).toBe(
      CaseErrorCode.CLAIMED_BY_OTHER,
    );
    // Anyone on the team may comment on a case someone else holds.
    expect(act(POLICY, claimed, bob, { type: 'note', text: 'seen this device before' }, T0).events[0]).toMatchObject({
      type: 'NOTE_ADDED',
      actor: 'bob',
    });
    expect(effectiveStatus(claimed, T0 + 15 * MINUTE)).toBe(CaseStatus.OPEN);
    expect(act(POLICY, claimed, bob, { type: 'claim' }, T0 + 15 * MINUTE).case).toMatchObject({
      status: 'CLAIMED',
      assignee: 'bob',
      claimExpiresAt: T0 + 30 * MINUTE,
    });
    expect(
      refusal(() => act(POLICY, claimed, bob, { type: 'dispose', disposition: 'LEGITIMATE', reasonCode: 'X' }, T0)),
    ).toBe(CaseErrorCode.CLAIMED_BY_OTHER);
  });

  it('lets a supervisor reassign; an analyst cannot', () => {
    const claimed = act(POLICY, open(), ana, { type: 'claim' }, T0).case;
    expect(refusal(() => act(POLICY, claimed, bob, { type: 'assign', to: 'bob' }, T0))).toBe(CaseErrorCode.FORBIDDEN);
    const assigned = act(POLICY, claimed, sue, { type: 'assign', to: 'bob' }, T0 + MINUTE);
    expect(assigned.case).toMatchObject({ assignee: 'bob', status: 'CLAIMED' });
    expect(assigned.events[0]).toMatchObject({ type: 'ASSIGNED', actor: 'sue', details: { to: 'bob' } });
  });

  it('escalates to the supervisors queue, which analysts cannot take, and never gives it more time', () => {
    const escalated = run(open(), [
      [ana, { type: 'claim' }],
      [ana, { type: 'escalate', reason: 'pattern across several cards' }],
    ]);
    expect(escalated.case).toMatchObject({ queue: 'supervisor', status: 'OPEN', escalated: true, assignee: null });
    expect(escalated.case.dueAt).toBe(T0 + 2 * MINUTE + 60 * MINUTE);
    expect(refusal(() => act(POLICY, escalated.case, bob, { type: 'claim' }, T0 + 3 * MINUTE))).toBe(
      CaseErrorCode.FORBIDDEN,
    );
    expect(act(POLICY, escalated.case, sue, { type: 'claim' }, T0 + 3 * MINUTE).case.assignee).toBe('sue');
  });

  it('snoozes a claimed case until a time in the future; it comes back OPEN, its SLA still running', () => {
    const claimed = act(POLICY, open(), ana, { type: 'claim' }, T0).case;
    expect(refusal(() => act(POLICY, claimed, ana, { type: 'snooze', until: T0 }, T0))).toBe(
      CaseErrorCode.INVALID_INPUT,
    );
    expect(refusal(() => act(POLICY, open(), ana, { type: 'snooze', until: T0 + MINUTE }, T0))).toBe(
      CaseErrorCode.INVALID_STATE,
    );
    const snoozed = act(POLICY, claimed, ana, { type: 'snooze', until: T0 + 300 * MINUTE }, T0 + MINUTE);
    expect(snoozed.case).toMatchObject({ status: 'SNOOZED', assignee: null, dueAt: T0 + 240 * MINUTE });
    expect(snoozed.events[0]!.details).toMatchObject({ past_sla: true });
    expect(effectiveStatus(snoozed.case, T0 + 299 * MINUTE)).toBe(CaseStatus.SNOOZED);
    expect(effectiveStatus(snoozed.case, T0 + 300 * MINUTE)).toBe(CaseStatus.OPEN);
  });

  describe('four-eyes', () => {
    it('holds a BLOCK released as legitimate for a supervisor other than its maker', () => {
      const proposed = run(open({ id: 't1', outcome: 'BLOCK' }), [
        [sue, { type: 'claim' }],
        [sue, { type: 'dispose', disposition: Disposition.LEGITIMATE, reasonCode: 'KNOWN_TRAVEL' }],
      ]);
      expect(proposed.case).toMatchObject({
        status: 'PENDING_APPROVAL',
        pending: { by: 'sue', disposition: 'LEGITIMATE' },
      });
      expect(proposed.closure).toBeNull();
      expect(refusal(() => act(POLICY, proposed.case, sue, { type: 'approve' }, T0 + 5 * MINUTE))).toBe(
        CaseErrorCode.FOUR_EYES,
      );
      expect(refusal(() => act(POLICY, proposed.case, bob, { type: 'approve' }, T0 + 5 * MINUTE))).toBe(
        CaseErrorCode.FORBIDDEN,
      );
      expect(refusal(() => act(POLICY, proposed.case, bob, { type: 'claim' }, T0 + 5 * MINUTE))).toBe(
        CaseErrorCode.INVALID_STATE,
      );
      const approved = act(POLICY, proposed.case, tom, { type: 'approve' }, T0 + 5 * MINUTE);
      expect(approved.case).toMatchObject({ status: 'CLOSED', disposition: 'LEGITIMATE', reasonCode: 'KNOWN_TRAVEL' });
      expect(approved.closure).toMatchObject({ decidedBy: 'sue', approvedBy: 'tom' });
      expect(approved.events.map((e) => e.type)).toEqual(['APPROVED', 'CLOSED']);
    });

    it('holds confirmed fraud above the amount; a rejection sends the case back to its maker', () => {
      const big = open({ id: 't1', outcome: 'REVIEW', amountMinor: 600_000 });
      expect(needsApproval(POLICY, big, Disposition.CONFIRMED_FRAUD)).toBe(true);
      expect(needsApproval(POLICY, open({ id: 't2', amountMinor: 400_000 }), Disposition.CONFIRMED_FRAUD)).toBe(false);
      expect(needsApproval(POLICY, big, Disposition.LEGITIMATE)).toBe(false);
      expect(needsApproval(POLICY, big, Disposition.INCONCLUSIVE)).toBe(false);
      const proposed = run(big, [
        [ana, { type: 'claim' }],
        [ana, { type: 'dispose', disposition: Disposition.CONFIRMED_FRAUD, reasonCode: 'CARD_NOT_PRESENT_FRAUD' }],
      ]);
      const rejected = act(
        POLICY,
        proposed.case,
        sue,
        { type: 'reject', reason: 'check the device first' },
        T0 + 9 * MINUTE,
      );
      expect(rejected.case).toMatchObject({ status: 'CLAIMED', assignee: 'ana', pending: null });
      expect(rejected.events[0]).toMatchObject({ type: 'REJECTED', details: { reason: 'check the device first' } });
    });
  });

  describe('step-up results and reported fraud', () => {
    it('closes the case as legitimate when the customer passes the step-up on every alert', () => {
      const kase = open({ id: 't1' });
      const passed = act(POLICY, kase, SYSTEM, { type: 'step-up', transactionId: 't1', result: 'PASSED' }, T0 + MINUTE);
      expect(passed.case).toMatchObject({ status: 'CLOSED', disposition: 'LEGITIMATE', reasonCode: 'STEP_UP_PASSED' });
      expect(passed.events.map((e) => e.type)).toEqual(['STEP_UP_RECORDED', 'CLOSED']);
      expect(passed.closure).toMatchObject({ decidedBy: 'system', transactionIds: ['t1'] });
    });

    it('keeps the case open while another alert is at stake, and a failed step-up raises the alert', () => {
      const first = open({ id: 't1' });
      const both = intake(POLICY, alertInput({ id: 't2' }), first, () => 'unused');
      if (both.kind !== 'joined') throw new Error('expected joined');
      const passed = act(POLICY, both.case, SYSTEM, { type: 'step-up', transactionId: 't1', result: 'PASSED' }, T0);
      expect(passed.case.status).toBe('OPEN');
      const failed = act(POLICY, passed.case, SYSTEM, { type: 'step-up', transactionId: 't2', result: 'FAILED' }, T0);
      expect(failed.case.alerts.map((a) => a.stepUp)).toEqual(['PASSED', 'FAILED']);
      expect(
        refusal(() => act(POLICY, first, ana, { type: 'step-up', transactionId: 't1', result: 'PASSED' }, T0)),
      ).toBe(CaseErrorCode.FORBIDDEN);
    });

    it('attaches a chargeback to the case of its transaction, also after the case closed', () => {
      const kase = open({ id: 't1' });
      const reported = act(
        POLICY,
        kase,
        SYSTEM,
        { type: 'fraud-reported', transactionId: 't1', source: 'CHARGEBACK' },
        T0,
      );
      expect(reported.case.alerts[0]!.reportedFraud).toBe(true);
      const closed = run(kase, [
        [ana, { type: 'claim' }],
        [ana, { type: 'dispose', disposition: Disposition.LEGITIMATE, reasonCode: 'LOOKS_FINE' }],
      ]).case;
      const late = act(
        POLICY,
        closed,
        SYSTEM,
        { type: 'fraud-reported', transactionId: 't1', source: 'CHARGEBACK' },
        T0 + DAY,
      );
      expect(late.case).toBe(closed);
      expect(late.events[0]).toMatchObject({
        type: 'FRAUD_REPORTED',
        transactionId: 't1',
        details: { after_close: true, closed_as: 'LEGITIMATE', source: 'CHARGEBACK' },
      });
    });
  });

  it('refuses changes to a closed case, empty or oversized text, and system-only actions from people', () => {
    const closed = run(open(), [
      [ana, { type: 'claim' }],
      [ana, { type: 'dispose', disposition: Disposition.INCONCLUSIVE, reasonCode: 'NO_CONTACT' }],
    ]).case;
    for (const action of [
      { type: 'claim' },
      { type: 'note', text: 'x' },
      { type: 'escalate', reason: 'x' },
      { type: 'dispose', disposition: 'LEGITIMATE', reasonCode: 'X' },
    ] as const)
      expect(refusal(() => act(POLICY, closed, sue, action, T0 + DAY))).toBe(CaseErrorCode.INVALID_STATE);
    const claimed = act(POLICY, open(), ana, { type: 'claim' }, T0).case;
    expect(refusal(() => act(POLICY, claimed, ana, { type: 'note', text: '   ' }, T0))).toBe(
      CaseErrorCode.INVALID_INPUT,
    );
    expect(refusal(() => act(POLICY, claimed, ana, { type: 'note', text: 'x'.repeat(4_001) }, T0))).toBe(
      CaseErrorCode.INVALID_INPUT,
    );
    expect(refusal(() => act(POLICY, claimed, SYSTEM, { type: 'claim' }, T0))).toBe(CaseErrorCode.FORBIDDEN);
  });
});

const DAY = 24 * 60 * MINUTE;
