import type { Decision } from '@argus/contracts';
import type { CasePolicy, CaseQueue, CaseRoute } from './case-policy.types';
import { dueAt } from './case.priority';
import { CaseEventType, CaseStatus, type Case, type CaseAlert, type CaseEvent } from './case.types';

/** What the case service knows of a decision when it arrives. */
export interface AlertInput {
  /** The decision, with the calibrated probability behind its score (null when no model took part). */
  readonly decision: Decision;
  /** Minor-unit exponent of the transaction's currency (2 for EUR, 0 for JPY). */
  readonly currencyExponent: number;
}

export type IntakeResult =
  | { readonly kind: 'ignored'; readonly why: 'APPROVED' | 'NO_ROUTE' | 'ALREADY_IN_CASE' }
  | { readonly kind: 'opened' | 'joined'; readonly case: Case; readonly event: CaseEvent };

/** Units of the policy's reference currency per major unit of `currency`; null when the policy has no rate. */
export function referenceRate(policy: CasePolicy, currency: string): number | null {
  return currency === policy.referenceCurrency ? 1 : (policy.exchangeRates[currency] ?? null);
}

/** The decision as an alert, its amount in the reference currency. */
export function toAlert(policy: CasePolicy, input: AlertInput): CaseAlert | null {
  const { decision } = input;
  if (decision.outcome === 'APPROVE') return null;
  const { transaction } = decision;
  const major = transaction.amount_minor / 10 ** input.currencyExponent;
  const rate = referenceRate(policy, transaction.currency);
  return {
    transactionId: decision.transaction_id,
    eventTime: decision.timings.event_time,
    decidedAt: decision.timings.decided_at,
    outcome: decision.outcome,
    amountMinor: transaction.amount_minor,
    currency: transaction.currency,
    currencyExponent: input.currencyExponent,
    amountAtRisk: major * (rate ?? 1),
    unconverted: rate === null,
    probability: decision.probability ?? null,
    score: decision.score,
    channel: transaction.channel,
    merchantCountry: transaction.merchant_country,
    stepUp: null,
    reportedFraud: false,
  };
}

function matches(route: CaseRoute, alert: CaseAlert): boolean {
  if (!route.outcomes.includes(alert.outcome)) return false;
  if (route.minAmount !== null && alert.amountAtRisk < route.minAmount) return false;
  if (route.channels !== null && !route.channels.includes(alert.channel)) return false;
  if (route.countries !== null && (alert.merchantCountry === null || !route.countries.includes(alert.merchantCountry)))
    return false;
  if (route.minScore !== null || route.maxScore !== null) {
    if (alert.score === null) return false;
    if (route.minScore !== null && alert.score < route.minScore) return false;
    if (route.maxScore !== null && alert.score > route.maxScore) return false;
  }
  return true;
}

/** The queue the first matching route names; null when no route matches (no case). */
export function routeAlert(policy: CasePolicy, alert: CaseAlert): CaseQueue | null {
  const route = policy.routes.find((candidate) => matches(candidate, alert));
  return route === undefined ? null : queueOf(policy, route.queue);
}

export function queueOf(policy: CasePolicy, id: string): CaseQueue {
  const queue = policy.queues.find((candidate) => candidate.id === id);
  // The parser refuses a route or an escalation to an unknown queue; a stored case may name a removed one.
  return queue ?? { id, name: id, slaMinutes: 60, supervisorsOnly: false };
}

/**
 * A REVIEW or BLOCK decision: opens the card's case, or joins the card's open case (one open case per card).
 * Joining keeps the case's SLA unless the new alert routes to a queue whose deadline comes sooner; then the
 * case moves there. A decision already in the case (a redelivery) changes nothing.
 */
export function intake(
  policy: CasePolicy,
  input: AlertInput,
  openCase: Case | null,
  newCaseId: () => string,
): IntakeResult {
  const alert = toAlert(policy, input);
  if (alert === null) return { kind: 'ignored', why: 'APPROVED' };
  const queue = routeAlert(policy, alert);
  if (queue === null) return { kind: 'ignored', why: 'NO_ROUTE' };
  const at = alert.decidedAt;
  const details = { outcome: alert.outcome, amount_at_risk: alert.amountAtRisk, queue: queue.id };

  if (openCase === null) {
    const id = newCaseId();
    const kase: Case = {
      id,
      cardId: input.decision.card_id,
      customerId: input.decision.transaction.customer_id,
      queue: queue.id,
      status: CaseStatus.OPEN,
      openedAt: at,
      dueAt: dueAt(queue, at),
      alerts: [alert],
      assignee: null,
      claimExpiresAt: null,
      snoozedUntil: null,
      escalated: false,
      pending: null,
      disposition: null,
      reasonCode: null,
      decidedBy: null,
      approvedBy: null,
      closedAt: null,
      version: 1,
    };
    const event = {
      caseId: id,
      type: CaseEventType.OPENED,
      actor: 'system',
      at,
      transactionId: alert.transactionId,
      details,
    };
    return { kind: 'opened', case: kase, event };
  }

  if (openCase.alerts.some((known) => known.transactionId === alert.transactionId))
    return { kind: 'ignored', why: 'ALREADY_IN_CASE' };
  const sooner = dueAt(queue, at) < openCase.dueAt && !openCase.escalated;
  const kase: Case = {
    ...openCase,
    alerts: [...openCase.alerts, alert],
    queue: sooner ? queue.id : openCase.queue,
    dueAt: sooner ? dueAt(queue, at) : openCase.dueAt,
    // A snoozed case wakes up: something new happened on the card.
    status: openCase.status === CaseStatus.SNOOZED ? CaseStatus.OPEN : openCase.status,
    snoozedUntil: openCase.status === CaseStatus.SNOOZED ? null : openCase.snoozedUntil,
    version: openCase.version + 1,
  };
  const event = {
    caseId: openCase.id,
    type: CaseEventType.ALERT_JOINED,
    actor: 'system',
    at,
    transactionId: alert.transactionId,
    details: { ...details, queue: kase.queue, alerts: kase.alerts.length },
  };
  return { kind: 'joined', case: kase, event };
}
