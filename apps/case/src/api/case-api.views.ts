import type { Case, CaseAlert } from '@argus/case';
import type { CaseFile, QueueItem } from '@argus/cases';
import type { AuditLogRow } from '@argus/audit-store';
import type { CaseAlertRow, StoredCaseEventRow } from '@argus/case-store';
import type { CaseEventType, Decision } from '@argus/contracts';
import { FEATURE_CATALOG } from '@argus/features';
import type { CaseFileResponse, CaseView, QueueItemView } from './case-api.responses';

// What the case API answers: snake_case, times as ISO-8601 UTC, amounts in minor units with their currency
// and the amount at risk in the policy's reference currency.

function iso(ms: number): string;
function iso(ms: number | null): string | null;
function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function queueItemView(item: QueueItem): QueueItemView {
  const kase = item.case;
  return {
    id: kase.id,
    card_id: kase.cardId,
    customer_id: kase.customerId,
    queue: kase.queue,
    status: item.status,
    priority: round(item.priority),
    expected_loss: round(item.expectedLoss),
    amount_at_risk: round(item.amountAtRisk),
    alert_count: kase.alerts.length,
    max_score: maxScore(kase),
    outcomes: [...new Set(kase.alerts.map((alert) => alert.outcome))],
    opened_at: iso(kase.openedAt),
    due_at: iso(kase.dueAt),
    sla: { remaining_ms: item.sla.remainingMs, breached: item.sla.breached, used: round(item.sla.used) },
    assignee: kase.assignee,
    claim_expires_at: iso(kase.claimExpiresAt),
    escalated: kase.escalated,
    pending: pendingView(kase),
    disposition: kase.disposition,
  };
}

export function caseView(kase: Case): CaseView {
  return {
    id: kase.id,
    card_id: kase.cardId,
    customer_id: kase.customerId,
    queue: kase.queue,
    status: kase.status,
    assignee: kase.assignee,
    claim_expires_at: iso(kase.claimExpiresAt),
    snoozed_until: iso(kase.snoozedUntil),
    escalated: kase.escalated,
    opened_at: iso(kase.openedAt),
    due_at: iso(kase.dueAt),
    pending: pendingView(kase),
    disposition: kase.disposition,
    reason_code: kase.reasonCode,
    decided_by: kase.decidedBy,
    approved_by: kase.approvedBy,
    closed_at: iso(kase.closedAt),
    version: kase.version,
  };
}

export function caseFileView(file: CaseFile): CaseFileResponse {
  const byTransaction = new Map(file.case.alerts.map((alert) => [alert.transactionId, alert]));
  return {
    ...caseView(file.case),
    status: file.status,
    expected_loss: round(file.expectedLoss),
    sla: { remaining_ms: file.sla.remainingMs, breached: file.sla.breached, used: round(file.sla.used) },
    alerts: file.alerts.map((row) => alertView(row, byTransaction.get(row.transactionId))),
    timeline: file.events.map(eventView),
    recent_decisions: {
      card: file.recent.card.map(activityView),
      customer: file.recent.customer.map(activityView),
    },
    linked_cards: file.linked.map((link) => ({
      via: link.via,
      card_id: link.cardId,
      decisions: link.decisions,
      alerts: link.alerts,
      last_seen: iso(link.lastSeen),
    })),
  };
}

/** One decision on record, as the card's or the customer's activity. */
function activityView(row: AuditLogRow) {
  const decision = row.payload as Decision;
  const { transaction } = decision;
  return {
    transaction_id: row.transaction_id,
    card_id: row.card_id,
    event_time: iso(decision.timings.event_time),
    outcome: decision.outcome,
    score: decision.score,
    amount: { minor: transaction.amount_minor, currency: transaction.currency },
    channel: transaction.channel,
    merchant_id: transaction.merchant_id,
    merchant_country: transaction.merchant_country,
    device_fingerprint: transaction.device_fingerprint,
    ip_address: transaction.ip_address,
  };
}

function alertView(row: CaseAlertRow, alert: CaseAlert | undefined) {
  const decision = row.decision as Decision;
  const { transaction } = decision;
  return {
    transaction_id: row.transactionId,
    outcome: row.outcome,
    decided_at: iso(row.decidedAt),
    event_time: iso(decision.timings.event_time),
    amount: { minor: transaction.amount_minor, currency: transaction.currency },
    amount_at_risk: alert === undefined ? null : round(alert.amountAtRisk),
    score: decision.score,
    probability: decision.probability ?? null,
    risk_tier: decision.risk_tier,
    model_version: decision.model_version,
    step_up: alert?.stepUp ?? null,
    reported_fraud: alert?.reportedFraud ?? false,
    degraded: decision.degraded,
    reasons: decision.reasons.filter((reason) => reason.kind === 'POLICY' || reason.kind === 'FALLBACK'),
    rules_fired: decision.reasons
      .filter((reason) => reason.kind === 'RULE')
      .map((reason) => ({ rule_id: reason.code, message: reason.message })),
    factors: decision.reasons
      .filter((reason) => reason.kind === 'MODEL_FACTOR')
      .map((reason) => ({ feature: reason.code, message: reason.message, contribution: reason.value })),
    features: featuresView(decision),
    transaction: {
      channel: transaction.channel,
      merchant_id: transaction.merchant_id,
      merchant_category_code: transaction.merchant_category_code,
      merchant_country: transaction.merchant_country,
      terminal_id: transaction.terminal_id,
      card_bin: transaction.card_bin,
      card_last4: transaction.card_last4,
      account_id: transaction.account_id,
      payment_method: transaction.payment_method,
      device_fingerprint: transaction.device_fingerprint,
      ip_address: transaction.ip_address,
      geo: transaction.geo,
    },
  };
}

const FEATURE_DESCRIPTIONS = new Map(FEATURE_CATALOG.map((feature) => [feature.name, feature.description]));

/**
 * The whole feature vector the decision was made on, each feature with what it is in plain words (the
 * catalog's description; a name this catalog does not know stands for itself). Null when the decision carries
 * none: decisions from before the vector was kept, or whose vector could not be named.
 */
function featuresView(decision: Decision): Array<{ name: string; value: number | null; description: string }> | null {
  const features = decision.features ?? null;
  if (features === null) return null;
  return features.map(({ name, value }) => ({
    name,
    value,
    description: FEATURE_DESCRIPTIONS.get(name) ?? name,
  }));
}

function eventView(event: StoredCaseEventRow) {
  return {
    seq: event.seq,
    type: event.type as CaseEventType, // the store keeps only the contract's event types
    actor: event.actor,
    at: iso(event.at),
    transaction_id: event.transactionId,
    details: event.details,
  };
}

function pendingView(kase: Case) {
  return kase.pending === null
    ? null
    : {
        disposition: kase.pending.disposition,
        reason_code: kase.pending.reasonCode,
        by: kase.pending.by,
        at: iso(kase.pending.at),
      };
}

function maxScore(kase: Case): number | null {
  const scores = kase.alerts.map((alert) => alert.score).filter((score): score is number => score !== null);
  return scores.length === 0 ? null : Math.max(...scores);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
