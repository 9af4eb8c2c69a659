import type { CasePolicy } from './case-policy.types';
import type { IntakeResult } from './case.intake';
import { slaState } from './case.priority';
import type { Case, CaseAlert } from './case.types';

/** A message for the team's chat: what happened, once per event (its id), in Slack's incoming-webhook form. */
export interface Notification {
  /** Unique per announced event: a redelivery or a second replica never announces it again. */
  readonly id: string;
  readonly kind: 'HIGH_VALUE_BLOCK' | 'SLA_BREACH';
  readonly caseId: string;
  /** Slack's `text`: the one line every Slack-compatible receiver shows. */
  readonly text: string;
}

const money = (amount: number, currency: string) =>
  `${amount.toLocaleString('en-GB', { maximumFractionDigits: 2, minimumFractionDigits: 2 })} ${currency}`;

/** The announcement an intake calls for: a BLOCK at or above the policy's amount, when one is set. */
export function intakeNotifications(policy: CasePolicy, result: IntakeResult): Notification[] {
  const threshold = policy.notifications.blockAtLeast;
  if (threshold === null || result.kind === 'ignored') return [];
  const alert: CaseAlert = result.case.alerts[result.case.alerts.length - 1]!;
  if (alert.outcome !== 'BLOCK' || alert.amountAtRisk < threshold) return [];
  const score = alert.score === null ? 'no model score' : `score ${alert.score}`;
  return [
    {
      id: `HIGH_VALUE_BLOCK:${alert.transactionId}`,
      kind: 'HIGH_VALUE_BLOCK',
      caseId: result.case.id,
      text:
        `:no_entry: BLOCK of ${money(alert.amountMinor / 10 ** alert.currencyExponent, alert.currency)} ` +
        `(${money(alert.amountAtRisk, policy.referenceCurrency)} at risk, ${score}) on card ${result.case.cardId}: ` +
        `case ${result.case.id} in queue ${result.case.queue}`,
    },
  ];
}

/** The announcement of a case past its SLA, once per case and deadline. */
export function breachNotification(policy: CasePolicy, kase: Case, now: number): Notification | null {
  if (!policy.notifications.slaBreach) return null;
  const sla = slaState(kase, now);
  if (!sla.breached) return null;
  const late = Math.round(-sla.remainingMs / 60_000);
  const who = kase.assignee === null ? 'nobody holds it' : `held by ${kase.assignee}`;
  return {
    id: `SLA_BREACH:${kase.id}:${kase.dueAt}`,
    kind: 'SLA_BREACH',
    caseId: kase.id,
    text: `:hourglass: case ${kase.id} in queue ${kase.queue} is ${late} min past its SLA (${who}, ${kase.alerts.length} alert(s) on card ${kase.cardId})`,
  };
}
