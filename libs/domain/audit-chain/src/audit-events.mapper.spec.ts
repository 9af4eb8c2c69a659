import type { CaseEvent, Label, StepUpResult } from '@argus/contracts';
import { caseEventAuditEntry, labelAuditEntry, stepUpAuditEntry } from './audit-events.mapper';
import { auditEventKey } from './chain.linker';

const label = (overrides: Partial<Label> = {}): Label => ({
  transaction_id: 'tx-1',
  card_id: 'card-1',
  label: 'FRAUD',
  source: 'CHARGEBACK',
  reported_at: 1_000,
  event_time: 900,
  note: null,
  ...overrides,
});

const caseEvent = (overrides: Partial<CaseEvent> = {}): CaseEvent => ({
  event_id: 'c1:3',
  case_id: 'c1',
  card_id: 'card-1',
  customer_id: 'cus-1',
  type: 'NOTE_ADDED',
  actor: 'alice',
  at: 2_000,
  transaction_id: null,
  queue: 'review',
  status: 'CLAIMED',
  disposition: null,
  details: { text: 'called the cardholder' },
  ...overrides,
});

describe('audit entries of labels, step-up results and case actions', () => {
  it('gives a redelivered label the same key, and each source its own', () => {
    const key = (l: Label) => auditEventKey(labelAuditEntry(l, 5_000));
    expect(key(label())).toBe(auditEventKey(labelAuditEntry(label(), 9_999)));
    expect(new Set([key(label()), key(label({ source: 'ANALYST' })), key(label({ reported_at: 1_001 }))]).size).toBe(3);
  });

  it('keys a step-up result by its transaction and completion time', () => {
    const result: StepUpResult = {
      transaction_id: 'tx-1',
      card_id: 'card-1',
      method: 'THREE_DS',
      outcome: 'PASSED',
      completed_at: 3_000,
      client_id: 'psp-a',
      received_at: 3_010,
    };
    expect(stepUpAuditEntry(result, 4_000)).toMatchObject({
      event_id: 'STEP_UP:tx-1:3000',
      event_type: 'STEP_UP_RESULT',
      occurred_at: 3_000,
      recorded_at: 4_000,
    });
  });

  it('files an action on the whole case under the case, one about a transaction under the transaction', () => {
    expect(caseEventAuditEntry(caseEvent(), 1)).toMatchObject({
      event_id: 'CASE:c1:3',
      event_type: 'CASE_ACTION',
      transaction_id: 'case:c1',
      occurred_at: 2_000,
    });
    expect(caseEventAuditEntry(caseEvent({ transaction_id: 'tx-7' }), 1).transaction_id).toBe('tx-7');
  });
});
