import type { CasePolicy, CaseQueue } from './case-policy.types';
import { CaseStatus, type Case, type CaseAlert } from './case.types';

const MINUTE = 60_000;

/** The probability the policy reasons with for one alert: the model's, or the policy's for unscored alerts. */
export function alertProbability(policy: CasePolicy, alert: CaseAlert): number {
  if (alert.reportedFraud || alert.stepUp === 'FAILED') {
    const floor = alert.reportedFraud ? 1 : policy.priority.failedStepUpProbability;
    return Math.max(floor, alert.probability ?? 0);
  }
  return alert.probability ?? policy.priority.unscoredProbability[alert.outcome];
}

/** The alerts still at stake: a passed step-up clears its transaction. */
export function openAlerts(kase: Pick<Case, 'alerts'>): readonly CaseAlert[] {
  return kase.alerts.filter((alert) => alert.stepUp !== 'PASSED');
}

/** Everything the card stands to lose on the case's open alerts, in the reference currency. */
export function amountAtRisk(kase: Pick<Case, 'alerts'>): number {
  return openAlerts(kase).reduce((sum, alert) => sum + alert.amountAtRisk, 0);
}

/**
 * Expected loss: how likely the card is compromised (the most suspicious open alert) × all it has at risk on
 * the case (every open alert, not just the newest): a card with three medium alerts outranks one with one.
 */
export function expectedLoss(policy: CasePolicy, kase: Pick<Case, 'alerts'>): number {
  const alerts = openAlerts(kase);
  if (alerts.length === 0) return 0;
  const probability = Math.max(...alerts.map((alert) => alertProbability(policy, alert)));
  return probability * amountAtRisk(kase);
}

export interface SlaState {
  readonly dueAt: number;
  /** Negative once breached. */
  readonly remainingMs: number;
  readonly breached: boolean;
  /** Share of the SLA used so far (1 at the deadline, more after it). */
  readonly used: number;
}

/** The SLA clock of a case: it runs from the opening to `dueAt`, snoozed or not (a snooze does not stop it). */
export function slaState(kase: Pick<Case, 'openedAt' | 'dueAt'>, now: number): SlaState {
  const total = Math.max(kase.dueAt - kase.openedAt, 1);
  const remainingMs = kase.dueAt - now;
  return { dueAt: kase.dueAt, remainingMs, breached: remainingMs < 0, used: Math.max(0, now - kase.openedAt) / total };
}

export function dueAt(queue: CaseQueue, from: number): number {
  return from + queue.slaMinutes * MINUTE;
}

/**
 * The queue's sort key, highest first: expected loss grown by the SLA term. Closed cases have none; a case
 * waiting for approval keeps its priority so that supervisors see the most costly approvals first.
 */
export function priority(policy: CasePolicy, kase: Case, now: number): number {
  if (kase.status === CaseStatus.CLOSED) return 0;
  const { used } = slaState(kase, now);
  return expectedLoss(policy, kase) * (1 + policy.priority.slaWeight * used);
}
