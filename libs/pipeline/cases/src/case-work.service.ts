import {
  act,
  CaseError,
  CaseErrorCode,
  effectiveStatus,
  Role,
  slaState,
  type Actor,
  type Case,
  type CaseAction,
  type CasePolicy,
  type SlaState,
} from '@argus/case';
import type { AuditLogRow, AuditStore, LinkedCard } from '@argus/audit-store';
import type { CaseAlertRow, CaseStore, QueueQuery, StoredCaseEventRow } from '@argus/case-store';
import type { Decision } from '@argus/contracts';
import { payeeOf } from '@argus/features';
import { changeOf } from './case-intake.service';
import { fromRow } from './case.mapper';

export interface QueueItem {
  readonly case: Case;
  /** The status as of now (an expired claim reads OPEN). */
  readonly status: Case['status'];
  readonly priority: number;
  readonly expectedLoss: number;
  readonly amountAtRisk: number;
  readonly sla: SlaState;
}

export type QueueFilter = Omit<QueueQuery, 'now' | 'slaWeight'>;

export interface CaseFile {
  readonly case: Case;
  readonly status: Case['status'];
  readonly sla: SlaState;
  readonly expectedLoss: number;
  readonly alerts: readonly CaseAlertRow[];
  readonly events: readonly StoredCaseEventRow[];
  /** The card's and the customer's latest decisions on record (the audit log), newest first. */
  readonly recent: { readonly card: readonly AuditLogRow[]; readonly customer: readonly AuditLogRow[] };
  /** Other cards seen on the devices, IP addresses and payees of the case's alerts in the last 30 days. */
  readonly linked: readonly LinkedCard[];
}

const LINK_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
const RECENT = 25;

/**
 * What analysts and supervisors do through the case API: read the queue, take the next case, open a case
 * (the view is audited), act on it. Every action runs in one transaction on the locked case, so two people
 * acting at once are serialised and the loser is told why (claimed by someone else, already closed…).
 */
export class CaseWorkService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditStore,
    private readonly policy: () => CasePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async queue(filter: QueueFilter): Promise<QueueItem[]> {
    const now = this.now();
    const rows = await this.store.list({ ...filter, now, slaWeight: this.policy().priority.slaWeight });
    return rows.map((row) => {
      const kase = fromRow(row);
      return {
        case: kase,
        status: effectiveStatus(kase, now),
        priority: row.priority,
        expectedLoss: row.expectedLoss,
        amountAtRisk: row.amountAtRisk,
        sla: slaState(kase, now),
      };
    });
  }

  /** Claims the highest-priority case the actor may work; null when there is none. */
  async takeNext(actor: Actor, queues?: readonly string[]): Promise<Case | null> {
    const policy = this.policy();
    const mayWork = policy.queues
      .filter((queue) => !queue.supervisorsOnly || actor.role === Role.SUPERVISOR || actor.role === Role.ADMIN)
      .map((queue) => queue.id);
    const asked = queues === undefined ? mayWork : queues.filter((queue) => mayWork.includes(queue));
    const now = this.now();
    return this.store.takeNext({ queues: asked, now, slaWeight: policy.priority.slaWeight }, async (row) => {
      const outcome = act(policy, fromRow(row), actor, { type: 'claim' }, now);
      return { change: changeOf(policy, row.version, outcome, now), result: outcome.case };
    });
  }

  /** Applies an analyst's or supervisor's action; a CaseError says why it cannot be done. */
  async act(caseId: string, actor: Actor, action: CaseAction): Promise<Case> {
    const policy = this.policy();
    const now = this.now();
    return this.store.withCase(caseId, async (row) => {
      const outcome = act(policy, fromRow(row), actor, action, now);
      return { change: changeOf(policy, row.version, outcome, now), result: outcome.case };
    });
  }

  /** The case with its alerts and timeline; opening it is itself an audited event (VIEWED). */
  async open(caseId: string, actor: Actor): Promise<CaseFile> {
    const exists = await this.store.get(caseId);
    if (exists === null) throw new CaseError(CaseErrorCode.NOT_FOUND, `no case ${caseId}`);
    const kase = await this.act(caseId, actor, { type: 'view' });
    const [alerts, events, card, customer] = await Promise.all([
      this.store.alertsOf(caseId),
      this.store.eventsOf(caseId),
      this.audit.recentDecisions({ card: kase.cardId }, RECENT),
      this.audit.recentDecisions({ customer: kase.customerId }, RECENT),
    ]);
    const linked = await this.linkedCards(kase, alerts);
    const now = this.now();
    return {
      case: kase,
      status: effectiveStatus(kase, now),
      sla: slaState(kase, now),
      expectedLoss: exists.expectedLoss,
      alerts,
      events,
      recent: { card, customer },
      linked,
    };
  }

  /** Every device, IP address and payee of the case's alerts, and the other cards seen on them. */
  private async linkedCards(kase: Case, alerts: readonly CaseAlertRow[]): Promise<LinkedCard[]> {
    const transactions = alerts.map((alert) => (alert.decision as Decision).transaction);
    const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
    const since = kase.openedAt - LINK_WINDOW_MS;
    const queries = [
      ...distinct(transactions.map((t) => t.device_fingerprint)).map((device) => ({ device })),
      ...distinct(transactions.map((t) => t.ip_address)).map((ip) => ({ ip })),
      ...distinct(transactions.map(payeeOf)).map((payee) => ({ payee })),
    ];
    const found = await Promise.all(
      queries.map((link) => this.audit.linkedCards({ ...link, exceptCard: kase.cardId, since })),
    );
    return found.flat();
  }
}
