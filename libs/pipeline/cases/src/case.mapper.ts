import {
  amountAtRisk,
  expectedLoss,
  type Case,
  type CaseAlert,
  type CaseEvent,
  type CasePolicy,
  type Closure,
} from '@argus/case';
import type { CaseAlertRow, CaseEventRow, CaseRow } from '@argus/case-store';
import type { CaseEvent as CaseEventRecord, Decision, Label } from '@argus/contracts';

/** The domain case as the store keeps it: the queried columns, and the whole case as `doc`. */
export function toRow(policy: CasePolicy, kase: Case): CaseRow {
  const scores = kase.alerts.map((alert) => alert.score).filter((score): score is number => score !== null);
  return {
    id: kase.id,
    cardId: kase.cardId,
    customerId: kase.customerId,
    queue: kase.queue,
    status: kase.status,
    openedAt: kase.openedAt,
    dueAt: kase.dueAt,
    assignee: kase.assignee,
    claimExpiresAt: kase.claimExpiresAt,
    snoozedUntil: kase.snoozedUntil,
    escalated: kase.escalated,
    expectedLoss: expectedLoss(policy, kase),
    amountAtRisk: amountAtRisk(kase),
    alertCount: kase.alerts.length,
    maxScore: scores.length === 0 ? null : Math.max(...scores),
    disposition: kase.disposition,
    reasonCode: kase.reasonCode,
    decidedBy: kase.decidedBy,
    approvedBy: kase.approvedBy,
    pendingBy: kase.pending?.by ?? null,
    closedAt: kase.closedAt,
    version: kase.version,
    doc: kase,
  };
}

/** The stored document back as a case (the columns are copies of its fields). */
export function fromRow(row: CaseRow): Case {
  return row.doc as Case;
}

export function alertRow(caseId: string, alert: CaseAlert, decision: Decision): CaseAlertRow {
  return { transactionId: alert.transactionId, caseId, decidedAt: alert.decidedAt, outcome: alert.outcome, decision };
}

export function eventRow(event: CaseEvent, eventId: string): CaseEventRow {
  return {
    eventId,
    caseId: event.caseId,
    type: event.type,
    actor: event.actor,
    at: event.at,
    transactionId: event.transactionId,
    details: event.details,
  };
}

/** What `case-events` carries: the event and the case's state after it. */
export function eventRecord(kase: Case, event: CaseEvent, eventId: string): CaseEventRecord {
  return {
    event_id: eventId,
    case_id: kase.id,
    card_id: kase.cardId,
    customer_id: kase.customerId,
    type: event.type,
    actor: event.actor,
    at: event.at,
    transaction_id: event.transactionId,
    queue: kase.queue,
    status: kase.status,
    disposition: kase.disposition,
    details: event.details,
  };
}

/**
 * The labels an analyst's disposition gives every transaction of the case (source ANALYST): confirmed
 * fraud → FRAUD, legitimate → LEGITIMATE, inconclusive → none. A case the system closed (a passed step-up)
 * gives none: the step-up result is its own label.
 */
export function analystLabels(kase: Case, closure: Closure, now: number): Label[] {
  if (closure.decidedBy === 'system' || closure.disposition === 'INCONCLUSIVE') return [];
  const label = closure.disposition === 'CONFIRMED_FRAUD' ? 'FRAUD' : 'LEGITIMATE';
  const approved = closure.approvedBy === null ? '' : `, approved by ${closure.approvedBy}`;
  return kase.alerts
    .filter((alert) => closure.transactionIds.includes(alert.transactionId))
    .map((alert) => ({
      transaction_id: alert.transactionId,
      card_id: kase.cardId,
      label,
      source: 'ANALYST',
      reported_at: now,
      event_time: alert.eventTime,
      note: `case ${kase.id}: ${closure.reasonCode} by ${closure.decidedBy}${approved}`,
    }));
}
