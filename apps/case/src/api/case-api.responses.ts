import { CaseEventType, CaseStatus, Channel, Disposition, Outcome, ReasonKind } from '@argus/contracts';
import { z } from 'zod';

// What the case API answers, as zod schemas. The views (case-api.views.ts) are typed by them and the OpenAPI
// document describes them (`@ApiOkResponse({ schema: responseSchema(…) })`), so the console's generated client
// (apps/console/web/src/api) cannot drift from what the service sends.

const instant = z.string().meta({ description: 'ISO-8601 UTC' });
const money = z
  .object({ minor: z.number().int(), currency: z.string() })
  .meta({ description: 'An amount in minor units of its currency' });
const role = z.enum(['analyst', 'supervisor', 'admin']);
const outcome = z.enum(Outcome);

export const UserView = z.object({ id: z.string(), name: z.string(), role });

export const LoginResponse = z.object({ token: z.string(), expires_at: instant, user: UserView });

export const QueuesResponse = z.object({
  policy_version: z.union([z.string(), z.number()]),
  reference_currency: z.string(),
  queues: z.array(
    z.object({ id: z.string(), name: z.string(), sla_minutes: z.number(), supervisors_only: z.boolean() }),
  ),
});

const SlaView = z.object({
  remaining_ms: z.number().meta({ description: 'Negative once breached' }),
  breached: z.boolean(),
  used: z.number().meta({ description: 'Share of the SLA used (1 = due now)' }),
});

const PendingView = z
  .object({ disposition: z.enum(Disposition), reason_code: z.string(), by: z.string(), at: instant })
  .nullable()
  .meta({ description: 'A disposition waiting for a second person' });

export const CaseView = z.object({
  id: z.string(),
  card_id: z.string(),
  customer_id: z.string().nullable(),
  queue: z.string(),
  status: z.enum(CaseStatus),
  assignee: z.string().nullable(),
  claim_expires_at: instant.nullable(),
  snoozed_until: instant.nullable(),
  escalated: z.boolean(),
  opened_at: instant,
  due_at: instant,
  pending: PendingView,
  disposition: z.enum(Disposition).nullable(),
  reason_code: z.string().nullable(),
  decided_by: z.string().nullable(),
  approved_by: z.string().nullable(),
  closed_at: instant.nullable(),
  version: z.number().int(),
});

export const QueueItemView = z.object({
  id: z.string(),
  card_id: z.string(),
  customer_id: z.string().nullable(),
  queue: z.string(),
  status: z.enum(CaseStatus),
  priority: z.number(),
  expected_loss: z.number(),
  amount_at_risk: z.number().meta({ description: 'In the policy’s reference currency' }),
  alert_count: z.number().int(),
  max_score: z.number().nullable(),
  outcomes: z.array(outcome),
  opened_at: instant,
  due_at: instant,
  sla: SlaView,
  assignee: z.string().nullable(),
  claim_expires_at: instant.nullable(),
  escalated: z.boolean(),
  pending: PendingView,
  disposition: z.enum(Disposition).nullable(),
});

export const QueueResponse = z.object({ cases: z.array(QueueItemView) });

const ReasonView = z.object({
  kind: z.enum(ReasonKind),
  code: z.string(),
  message: z.string(),
  value: z.number().nullable(),
});

const GeoView = z
  .object({ lat: z.number(), lon: z.number(), country: z.string().nullable(), city: z.string().nullable() })
  .nullable();

const AlertView = z.object({
  transaction_id: z.string(),
  outcome,
  decided_at: instant,
  event_time: instant,
  amount: money,
  amount_at_risk: z.number().nullable(),
  score: z.number().nullable(),
  probability: z.number().nullable(),
  risk_tier: z.string().nullable(),
  model_version: z.string().nullable(),
  step_up: z.enum(['PASSED', 'FAILED']).nullable(),
  reported_fraud: z.boolean(),
  degraded: z.array(z.string()),
  reasons: z.array(ReasonView).meta({ description: 'Policy and fallback reasons' }),
  rules_fired: z.array(z.object({ rule_id: z.string(), message: z.string() })),
  factors: z
    .array(z.object({ feature: z.string(), message: z.string(), contribution: z.number().nullable() }))
    .meta({ description: 'The model’s top factors, in words; contribution in log-odds' }),
  features: z
    .array(z.object({ name: z.string(), value: z.number().nullable(), description: z.string() }))
    .nullable()
    .meta({ description: 'The full feature vector the model scored (null: not recorded); null value: missing' }),
  transaction: z.object({
    channel: z.enum(Channel),
    merchant_id: z.string().nullable(),
    merchant_category_code: z.string().nullable(),
    merchant_country: z.string().nullable(),
    terminal_id: z.string().nullable(),
    card_bin: z.string().nullable(),
    card_last4: z.string().nullable(),
    account_id: z.string().nullable(),
    payment_method: z.string().nullable(),
    device_fingerprint: z.string().nullable(),
    ip_address: z.string().nullable(),
    geo: GeoView,
  }),
});

const ActivityView = z.object({
  transaction_id: z.string(),
  card_id: z.string(),
  event_time: instant,
  outcome,
  score: z.number().nullable(),
  amount: money,
  channel: z.enum(Channel),
  merchant_id: z.string().nullable(),
  merchant_country: z.string().nullable(),
  device_fingerprint: z.string().nullable(),
  ip_address: z.string().nullable(),
});

export const CaseFileResponse = CaseView.extend({
  expected_loss: z.number(),
  sla: SlaView,
  alerts: z.array(AlertView),
  timeline: z.array(
    z.object({
      seq: z.number().int(),
      type: z.enum(CaseEventType),
      actor: z.string(),
      at: instant,
      transaction_id: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
  recent_decisions: z.object({ card: z.array(ActivityView), customer: z.array(ActivityView) }),
  linked_cards: z.array(
    z.object({
      via: z.enum(['DEVICE', 'IP', 'PAYEE']),
      card_id: z.string(),
      decisions: z.number().int(),
      alerts: z.number().int(),
      last_seen: instant,
    }),
  ),
});

export type UserView = z.infer<typeof UserView>;
export type LoginResponse = z.infer<typeof LoginResponse>;
export type QueuesResponse = z.infer<typeof QueuesResponse>;
export type CaseView = z.infer<typeof CaseView>;
export type QueueItemView = z.infer<typeof QueueItemView>;
export type QueueResponse = z.infer<typeof QueueResponse>;
export type AlertView = z.infer<typeof AlertView>;
export type ActivityView = z.infer<typeof ActivityView>;
export type CaseFileResponse = z.infer<typeof CaseFileResponse>;
