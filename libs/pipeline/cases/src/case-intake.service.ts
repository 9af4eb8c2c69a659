import { randomUUID } from 'node:crypto';
import {
  act,
  breachNotification,
  intake,
  intakeNotifications,
  referenceRate,
  SYSTEM,
  type ActResult,
  type CaseAction,
  type CasePolicy,
  type Notification,
} from '@argus/case';
import type { CaseChange, CaseStore, OutboxMessage } from '@argus/case-store';
import type { Decision, Label, StepUpResult } from '@argus/contracts';
import { currencyExponent } from '@argus/transaction';
import { alertRow, analystLabels, eventRecord, eventRow, fromRow, toRow } from './case.mapper';

export interface IntakeTally {
  opened: number;
  joined: number;
  ignored: number;
}

/**
 * Turns what the case service consumes into cases: REVIEW and BLOCK decisions open or join the card's case
 * (the policy says which, and in which queue), step-up results clear or raise an alert, chargebacks and
 * other FRAUD reports mark theirs. Each record is one transaction on the case, with its case-events in the
 * outbox. A redelivered record changes nothing.
 */
export class CaseIntakeService {
  constructor(
    private readonly store: CaseStore,
    private readonly policy: () => CasePolicy,
    private readonly now: () => number = Date.now,
    /** Whether chat notifications are written (a webhook is configured); none pile up otherwise. */
    private readonly notify = false,
    /** Cards taken in at once (each a database transaction: keep it within the connection pool). */
    private readonly concurrency = 4,
  ) {}

  /**
   * One card's decisions in order, different cards side by side (`concurrency` database transactions at
   * once): a card's alerts never race, and a batch of many cards is not one round trip after another. Then
   * every decision of the batch, APPROVE included, is added to the dashboard's hourly rollup in one statement
   * (after the cases, so a batch that fails and is redelivered is counted once; a crash between this write and
   * the offset commit counts the batch twice: the rollup feeds a dashboard, it is not a ledger).
   */
  async onDecisions(decisions: readonly Decision[]): Promise<IntakeTally> {
    const tally: IntakeTally = { opened: 0, joined: 0, ignored: 0 };
    const byCard = new Map<string, Decision[]>();
    for (const decision of decisions) {
      if (decision.outcome === 'APPROVE') {
        tally.ignored += 1;
        continue;
      }
      const list = byCard.get(decision.card_id) ?? [];
      list.push(decision);
      byCard.set(decision.card_id, list);
    }
    const cards = [...byCard.values()];
    const worker = async () => {
      for (let next = cards.shift(); next !== undefined; next = cards.shift()) {
        for (const decision of next) tally[await this.takeIn(decision)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, cards.length) }, worker));
    if (decisions.length > 0) {
      const policy = this.policy();
      await this.store.addDecisionStats(
        decisions.map((decision) => {
          const { amount_minor, currency } = decision.transaction;
          const rate = referenceRate(policy, currency);
          return {
            decidedAt: decision.timings.decided_at,
            outcome: decision.outcome,
            amount: rate === null ? null : (amount_minor / 10 ** (currencyExponent(currency) ?? 2)) * rate,
          };
        }),
      );
    }
    return tally;
  }

  private takeIn(decision: Decision): Promise<keyof IntakeTally> {
    const policy = this.policy();
    return this.store.withCardCase(decision.card_id, async (open) => {
      const result = intake(
        policy,
        { decision, currencyExponent: currencyExponent(decision.transaction.currency) ?? 2 },
        open === null ? null : fromRow(open),
        randomUUID,
      );
      if (result.kind === 'ignored') return { change: null, result: 'ignored' as const };
      const eventId = randomUUID();
      const alert = result.case.alerts[result.case.alerts.length - 1]!;
      const change: CaseChange = {
        case: toRow(policy, result.case),
        fromVersion: open === null ? null : open.version,
        newAlerts: [alertRow(result.case.id, alert, decision)],
        events: [eventRow(result.event, eventId)],
        outbox: [
          caseEventMessage(eventRecord(result.case, result.event, eventId)),
          ...(this.notify ? intakeNotifications(policy, result).map(notificationMessage) : []),
        ],
      };
      return { change, result: result.kind };
    });
  }

  /** PASSED clears the alert (and closes the case when nothing else is at stake); FAILED raises it. */
  async onStepUps(results: readonly StepUpResult[]): Promise<number> {
    let applied = 0;
    for (const result of results) {
      if (result.outcome === 'ABANDONED') continue;
      const done = await this.onTransaction(result.transaction_id, {
        type: 'step-up',
        transactionId: result.transaction_id,
        result: result.outcome,
      });
      if (done) applied += 1;
    }
    return applied;
  }

  /** A FRAUD label from outside the case service (a chargeback, a reported history) marks its alert. */
  async onLabels(labels: readonly Label[]): Promise<number> {
    let applied = 0;
    for (const label of labels) {
      if (label.label !== 'FRAUD' || label.source === 'ANALYST' || label.source === 'STEP_UP') continue;
      const done = await this.onTransaction(label.transaction_id, {
        type: 'fraud-reported',
        transactionId: label.transaction_id,
        source: label.source,
      });
      if (done) applied += 1;
    }
    return applied;
  }

  /** Announces every case newly past its SLA (once per case and deadline); resolves to how many. */
  async announceBreaches(): Promise<number> {
    if (!this.notify) return 0;
    const policy = this.policy();
    const now = this.now();
    return this.store.announceBreaches(now, (row) => {
      const notification = breachNotification(policy, fromRow(row), now);
      return notification === null
        ? null
        : { case: row, fromVersion: row.version, events: [], outbox: [notificationMessage(notification)] };
    });
  }

  /** Applies a system action to the case of a transaction; false when the transaction is in no case. */
  private async onTransaction(transactionId: string, action: CaseAction): Promise<boolean> {
    const caseId = await this.store.caseOfTransaction(transactionId);
    if (caseId === null) return false;
    const policy = this.policy();
    await this.store.withCase(caseId, async (row) => {
      const outcome = act(policy, fromRow(row), SYSTEM, action, this.now());
      return { change: changeOf(policy, row.version, outcome, this.now()), result: null };
    });
    return true;
  }
}

/** The outbox destination of chat notifications: delivered by the webhook relay, not Kafka. */
export const NOTIFICATIONS = 'notifications';

/** The Kafka topics (topic keys) of the outbox. */
export const OUTBOX_TOPICS = ['caseEvents', 'labels'] as const;

export function notificationMessage(notification: Notification): OutboxMessage {
  return { topic: NOTIFICATIONS, key: notification.id, payload: notification };
}

export function caseEventMessage(record: ReturnType<typeof eventRecord>): OutboxMessage {
  return { topic: 'caseEvents', key: record.card_id, payload: record };
}

/** The store change of an action's result: the case, its events, and what to publish (events, labels). */
export function changeOf(policy: CasePolicy, fromVersion: number, outcome: ActResult, now: number): CaseChange {
  const ids = outcome.events.map(() => randomUUID());
  const labels = outcome.closure === null ? [] : analystLabels(outcome.case, outcome.closure, now);
  return {
    case: toRow(policy, outcome.case),
    fromVersion,
    events: outcome.events.map((event, i) => eventRow(event, ids[i]!)),
    outbox: [
      ...outcome.events.map((event, i) => caseEventMessage(eventRecord(outcome.case, event, ids[i]!))),
      ...labels.map((label): OutboxMessage => ({ topic: 'labels', key: label.card_id, payload: label })),
    ],
  };
}
