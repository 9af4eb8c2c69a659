import type { CasePolicy } from './case-policy.types';
import { CaseError, CaseErrorCode } from './case.errors';
import { queueOf } from './case.intake';
import { amountAtRisk, dueAt, openAlerts } from './case.priority';
import {
  CaseEventType,
  CaseStatus,
  Disposition,
  Role,
  type Actor,
  type Case,
  type CaseAlert,
  type CaseEvent,
} from './case.types';

const MINUTE = 60_000;
const MAX_TEXT = 4_000;

/** What an analyst, a supervisor or the system does to a case. */
export type CaseAction =
  | { readonly type: 'claim' }
  | { readonly type: 'release' }
  | { readonly type: 'assign'; readonly to: string }
  | { readonly type: 'view' }
  | { readonly type: 'note'; readonly text: string }
  | { readonly type: 'escalate'; readonly reason: string }
  | { readonly type: 'snooze'; readonly until: number }
  | { readonly type: 'dispose'; readonly disposition: Disposition; readonly reasonCode: string }
  | { readonly type: 'approve' }
  | { readonly type: 'reject'; readonly reason: string }
  | { readonly type: 'step-up'; readonly transactionId: string; readonly result: 'PASSED' | 'FAILED' }
  | { readonly type: 'fraud-reported'; readonly transactionId: string; readonly source: string };

/** A disposition that took effect: what the case service publishes as an ANALYST label on `labels`. */
export interface Closure {
  readonly disposition: Disposition;
  readonly reasonCode: string;
  readonly decidedBy: string;
  /** The second person, for a four-eyes disposition. */
  readonly approvedBy: string | null;
  readonly transactionIds: readonly string[];
}

export interface ActResult {
  readonly case: Case;
  /** Every action is an event, a view included: the audit chain holds all of them. */
  readonly events: readonly CaseEvent[];
  readonly closure: Closure | null;
}

/** The status as of `now`: a snooze that has run out, or a claim that has expired, leaves the case OPEN. */
export function effectiveStatus(kase: Case, now: number): CaseStatus {
  if (kase.status === CaseStatus.SNOOZED && kase.snoozedUntil !== null && kase.snoozedUntil <= now)
    return CaseStatus.OPEN;
  if (kase.status === CaseStatus.CLAIMED && kase.claimExpiresAt !== null && kase.claimExpiresAt <= now)
    return CaseStatus.OPEN;
  return kase.status;
}

/** Four-eyes: releasing a BLOCK as legitimate, or confirming fraud above the policy's amount. */
export function needsApproval(policy: CasePolicy, kase: Case, disposition: Disposition): boolean {
  if (disposition === Disposition.LEGITIMATE)
    return policy.approvals.releaseBlockAsLegitimate && kase.alerts.some((alert) => alert.outcome === 'BLOCK');
  if (disposition === Disposition.CONFIRMED_FRAUD)
    return policy.approvals.confirmFraudAbove !== null && amountAtRisk(kase) > policy.approvals.confirmFraudAbove;
  return false;
}

const isSupervisor = (actor: Actor) => actor.role === Role.SUPERVISOR || actor.role === Role.ADMIN;
const isPerson = (actor: Actor) => actor.role !== 'system';

function fail(code: CaseErrorCode, message: string): never {
  throw new CaseError(code, message);
}

function text(value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed === '') fail(CaseErrorCode.INVALID_INPUT, `${what} is empty`);
  if (trimmed.length > MAX_TEXT) fail(CaseErrorCode.INVALID_INPUT, `${what} is longer than ${MAX_TEXT} characters`);
  return trimmed;
}

/**
 * Applies one action to a case, or throws a CaseError saying why it cannot be done. Pure: the caller passes
 * `now`, stores the returned case (from the version it read) and appends the events to the audit chain.
 */
export function act(policy: CasePolicy, kase: Case, actor: Actor, action: CaseAction, now: number): ActResult {
  const status = effectiveStatus(kase, now);
  const holder = status === CaseStatus.CLAIMED ? kase.assignee : null;
  const event = (
    type: CaseEventType,
    details: CaseEvent['details'] = {},
    transactionId: string | null = null,
  ): CaseEvent => ({ caseId: kase.id, type, actor: actor.id, at: now, transactionId, details });
  const next = (changes: Partial<Case>): Case => ({ ...kase, status, ...changes, version: kase.version + 1 });
  const requirePerson = () => {
    if (!isPerson(actor)) fail(CaseErrorCode.FORBIDDEN, `${action.type} is an action of a person, not the system`);
  };
  const requireOpen = () => {
    if (status === CaseStatus.CLOSED) fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} is closed`);
  };
  // The holder of the claim works the case; a supervisor may step in at any time.
  const requireHolderOrSupervisor = () => {
    if (isSupervisor(actor) || holder === actor.id) return;
    if (holder !== null) fail(CaseErrorCode.CLAIMED_BY_OTHER, `case ${kase.id} is claimed by ${holder}`);
    fail(CaseErrorCode.INVALID_STATE, `claim case ${kase.id} before you ${action.type} it`);
  };
  const claimUntil = now + policy.claimMinutes * MINUTE;

  switch (action.type) {
    case 'view':
      requirePerson();
      return { case: kase, events: [event(CaseEventType.VIEWED)], closure: null };

    case 'claim': {
      requirePerson();
      requireOpen();
      if (status === CaseStatus.PENDING_APPROVAL)
        fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} waits for a supervisor's approval`);
      if (queueOf(policy, kase.queue).supervisorsOnly && !isSupervisor(actor))
        fail(CaseErrorCode.FORBIDDEN, `queue ${kase.queue} is worked by supervisors`);
      if (holder !== null && holder !== actor.id)
        fail(CaseErrorCode.CLAIMED_BY_OTHER, `case ${kase.id} is claimed by ${holder}`);
      const claimed = next({
        status: CaseStatus.CLAIMED,
        assignee: actor.id,
        claimExpiresAt: claimUntil,
        snoozedUntil: null,
      });
      return { case: claimed, events: [event(CaseEventType.CLAIMED, { until: claimUntil })], closure: null };
    }

    case 'release':
      requirePerson();
      if (status !== CaseStatus.CLAIMED) fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} is not claimed`);
      requireHolderOrSupervisor();
      return {
        case: next({ status: CaseStatus.OPEN, assignee: null, claimExpiresAt: null }),
        events: [event(CaseEventType.RELEASED)],
        closure: null,
      };

    case 'assign': {
      requirePerson();
      requireOpen();
      if (!isSupervisor(actor)) fail(CaseErrorCode.FORBIDDEN, 'only a supervisor assigns cases');
      if (status === CaseStatus.PENDING_APPROVAL)
        fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} waits for a supervisor's approval`);
      const to = text(action.to, 'the assignee');
      return {
        case: next({ status: CaseStatus.CLAIMED, assignee: to, claimExpiresAt: claimUntil, snoozedUntil: null }),
        events: [event(CaseEventType.ASSIGNED, { to, until: claimUntil })],
        closure: null,
      };
    }

    case 'note': {
      requirePerson();
      requireOpen();
      const note = text(action.text, 'the note');
      return { case: next({}), events: [event(CaseEventType.NOTE_ADDED, { text: note })], closure: null };
    }

    case 'escalate': {
      requirePerson();
      requireOpen();
      if (status === CaseStatus.PENDING_APPROVAL)
        fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} already waits for a supervisor`);
      if (status === CaseStatus.CLAIMED) requireHolderOrSupervisor();
      const reason = text(action.reason, 'the reason');
      const to = queueOf(policy, policy.escalationQueue);
      const escalated = next({
        status: CaseStatus.OPEN,
        queue: to.id,
        escalated: true,
        assignee: null,
        claimExpiresAt: null,
        snoozedUntil: null,
        dueAt: Math.min(kase.dueAt, dueAt(to, now)),
      });
      return {
        case: escalated,
        events: [event(CaseEventType.ESCALATED, { from: kase.queue, to: to.id, reason })],
        closure: null,
      };
    }

    case 'snooze': {
      requirePerson();
      requireOpen();
      if (status !== CaseStatus.CLAIMED) fail(CaseErrorCode.INVALID_STATE, `claim case ${kase.id} before snoozing it`);
      requireHolderOrSupervisor();
      if (!(action.until > now)) fail(CaseErrorCode.INVALID_INPUT, 'a snooze must end in the future');
      // The SLA keeps running while the case sleeps: a snooze hides the case, it does not buy time.
      return {
        case: next({ status: CaseStatus.SNOOZED, snoozedUntil: action.until, assignee: null, claimExpiresAt: null }),
        events: [event(CaseEventType.SNOOZED, { until: action.until, past_sla: action.until > kase.dueAt })],
        closure: null,
      };
    }

    case 'dispose': {
      requirePerson();
      requireOpen();
      if (status === CaseStatus.PENDING_APPROVAL)
        fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} already waits for approval of a disposition`);
      requireHolderOrSupervisor();
      const reasonCode = text(action.reasonCode, 'the reason code');
      if (needsApproval(policy, kase, action.disposition)) {
        const pending = { disposition: action.disposition, reasonCode, by: actor.id, at: now };
        return {
          case: next({ status: CaseStatus.PENDING_APPROVAL, pending, claimExpiresAt: null }),
          events: [
            event(CaseEventType.DISPOSITION_PROPOSED, { disposition: action.disposition, reason_code: reasonCode }),
          ],
          closure: null,
        };
      }
      return close(kase, next, event, action.disposition, reasonCode, actor.id, null, now);
    }

    case 'approve': {
      requirePerson();
      if (status !== CaseStatus.PENDING_APPROVAL || kase.pending === null)
        fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} has no disposition waiting for approval`);
      if (!isSupervisor(actor)) fail(CaseErrorCode.FORBIDDEN, 'only a supervisor approves a disposition');
      if (kase.pending.by === actor.id)
        fail(CaseErrorCode.FOUR_EYES, `${actor.id} proposed this disposition: a second person must approve it`);
      const { disposition, reasonCode, by } = kase.pending;
      const approval = event(CaseEventType.APPROVED, { disposition, maker: by });
      const closed = close(kase, next, event, disposition, reasonCode, by, actor.id, now);
      return { ...closed, events: [approval, ...closed.events] };
    }

    case 'reject': {
      requirePerson();
      if (status !== CaseStatus.PENDING_APPROVAL || kase.pending === null)
        fail(CaseErrorCode.INVALID_STATE, `case ${kase.id} has no disposition waiting for approval`);
      if (!isSupervisor(actor)) fail(CaseErrorCode.FORBIDDEN, 'only a supervisor rejects a disposition');
      if (kase.pending.by === actor.id)
        fail(CaseErrorCode.FOUR_EYES, `${actor.id} proposed this disposition: a second person must decide on it`);
      const reason = text(action.reason, 'the reason');
      // Back to its maker, who works it again.
      const back = next({
        status: CaseStatus.CLAIMED,
        assignee: kase.pending.by,
        claimExpiresAt: claimUntil,
        pending: null,
      });
      return {
        case: back,
        events: [event(CaseEventType.REJECTED, { disposition: kase.pending.disposition, reason })],
        closure: null,
      };
    }

    case 'step-up': {
      if (isPerson(actor)) fail(CaseErrorCode.FORBIDDEN, 'step-up results come from the system');
      const updated = markAlert(kase, action.transactionId, { stepUp: action.result });
      const recorded = event(CaseEventType.STEP_UP_RECORDED, { result: action.result }, action.transactionId);
      if (updated === null || status === CaseStatus.CLOSED) return { case: kase, events: [recorded], closure: null };
      const changed = next({ alerts: updated });
      // The customer proved it was them on every alert at stake: nothing left to review.
      if (action.result === 'PASSED' && status !== CaseStatus.PENDING_APPROVAL && openAlerts(changed).length === 0) {
        const closed = close(
          changed,
          (c) => ({ ...changed, ...c }),
          event,
          Disposition.LEGITIMATE,
          'STEP_UP_PASSED',
          actor.id,
          null,
          now,
        );
        return { ...closed, events: [recorded, ...closed.events] };
      }
      return { case: changed, events: [recorded], closure: null };
    }

    case 'fraud-reported': {
      if (isPerson(actor)) fail(CaseErrorCode.FORBIDDEN, 'reported fraud (chargebacks) comes from the system');
      const updated = markAlert(kase, action.transactionId, { reportedFraud: true });
      const reported = event(
        CaseEventType.FRAUD_REPORTED,
        { source: action.source, after_close: status === CaseStatus.CLOSED, closed_as: kase.disposition },
        action.transactionId,
      );
      if (updated === null || status === CaseStatus.CLOSED) return { case: kase, events: [reported], closure: null };
      return { case: next({ alerts: updated }), events: [reported], closure: null };
    }
  }
}

function markAlert(kase: Case, transactionId: string, change: Partial<CaseAlert>): CaseAlert[] | null {
  if (!kase.alerts.some((alert) => alert.transactionId === transactionId)) return null;
  return kase.alerts.map((alert) => (alert.transactionId === transactionId ? { ...alert, ...change } : alert));
}

function close(
  kase: Case,
  next: (changes: Partial<Case>) => Case,
  event: (type: CaseEventType, details?: CaseEvent['details']) => CaseEvent,
  disposition: Disposition,
  reasonCode: string,
  decidedBy: string,
  approvedBy: string | null,
  now: number,
): ActResult {
  const closed = next({
    status: CaseStatus.CLOSED,
    disposition,
    reasonCode,
    decidedBy,
    approvedBy,
    closedAt: now,
    pending: null,
    assignee: null,
    claimExpiresAt: null,
    snoozedUntil: null,
  });
  return {
    case: closed,
    events: [
      event(CaseEventType.CLOSED, {
        disposition,
        reason_code: reasonCode,
        decided_by: decidedBy,
        approved_by: approvedBy,
      }),
    ],
    closure: {
      disposition,
      reasonCode,
      decidedBy,
      approvedBy,
      transactionIds: kase.alerts.map((alert) => alert.transactionId),
    },
  };
}
