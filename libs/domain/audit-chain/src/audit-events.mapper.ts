import type { CaseEvent, Decision, Label, StepUpResult } from '@argus/contracts';
import type { AuditEntryInput } from './audit-chain.types';

/**
 * What each audited topic's record becomes in the chain. Every entry has an event key that a redelivery
 * repeats exactly, so the store writes it once: a decision by its transaction (one per transaction), the
 * other events by their own id.
 */

export function decisionAuditEntry(decision: Decision, recordedAt: number): AuditEntryInput {
  return {
    event_type: 'DECISION',
    transaction_id: decision.transaction_id,
    card_id: decision.card_id,
    occurred_at: decision.timings.decided_at,
    recorded_at: recordedAt,
    payload: decision,
  };
}

/** A transaction may be labelled by several sources (a chargeback after an analyst); each report is one event. */
export function labelAuditEntry(label: Label, recordedAt: number): AuditEntryInput {
  return {
    event_id: `LABEL:${label.source}:${label.transaction_id}:${label.reported_at}`,
    event_type: 'LABEL',
    transaction_id: label.transaction_id,
    card_id: label.card_id,
    occurred_at: label.reported_at,
    recorded_at: recordedAt,
    payload: label,
  };
}

export function stepUpAuditEntry(result: StepUpResult, recordedAt: number): AuditEntryInput {
  return {
    event_id: `STEP_UP:${result.transaction_id}:${result.completed_at}`,
    event_type: 'STEP_UP_RESULT',
    transaction_id: result.transaction_id,
    card_id: result.card_id,
    occurred_at: result.completed_at,
    recorded_at: recordedAt,
    payload: result,
  };
}

/**
 * An analyst's or the system's action on a case. An action on the whole case (a claim, a view, a note) is
 * filed under `case:<case id>`, so that a case's history is one query; one about a transaction (an alert
 * joining, a step-up, a chargeback) under that transaction.
 */
export function caseEventAuditEntry(event: CaseEvent, recordedAt: number): AuditEntryInput {
  return {
    event_id: `CASE:${event.event_id}`,
    event_type: 'CASE_ACTION',
    transaction_id: event.transaction_id ?? caseAuditId(event.case_id),
    card_id: event.card_id,
    occurred_at: event.at,
    recorded_at: recordedAt,
    payload: event,
  };
}

/** The audit log's transaction id for actions on a whole case. */
export function caseAuditId(caseId: string): string {
  return `case:${caseId}`;
}
