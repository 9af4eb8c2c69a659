import { HOURLY_UP_TO_HOURS, MAX_DASHBOARD_HOURS } from '@argus/case-store';
import { z } from 'zod';

// GET /v1/dashboard: the query it takes and the answer it gives, as zod schemas. The view is typed by
// DashboardResponse and the OpenAPI document is generated from it, so the console's charts read what is sent.

export const DashboardParams = z
  .object({
    hours: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, `must be 1–${MAX_DASHBOARD_HOURS}`)
      .max(MAX_DASHBOARD_HOURS, `must be 1–${MAX_DASHBOARD_HOURS}`)
      .optional()
      .meta({
        description: `The window: the last N hours, 1–${MAX_DASHBOARD_HOURS}, default 24; hourly buckets up to ${HOURLY_UP_TO_HOURS}, daily beyond`,
      }),
  })
  .strict();

const instant = z.iso.datetime().meta({ description: 'ISO-8601 UTC' });
const count = z.number().int().min(0);
const share = z.number().min(0).max(1).nullable();
const minutes = z.number().min(0).nullable();

const OutcomeCounts = z.object({
  approve: count,
  review: count,
  block: count,
  total: count,
  amount: z.number().min(0).meta({
    description: 'What the decisions were for, in major units of the reference currency (those with a rate)',
  }),
  unconverted: count.meta({ description: 'Decisions in a currency without a reference rate: not in `amount`' }),
  review_rate: share.meta({ description: '(REVIEW + BLOCK) / all decisions; null without decisions' }),
  review_share: share.meta({ description: 'REVIEW / all decisions; null without decisions' }),
});

const PrecisionCounts = z.object({
  alerts: count,
  confirmed_fraud: count,
  legitimate: count,
  inconclusive: count.meta({ description: 'Counted in `alerts`, not in the precision' }),
  precision: share.meta({ description: 'confirmed_fraud / (confirmed_fraud + legitimate); null when neither' }),
});

export const DashboardResponse = z.object({
  generated_at: instant,
  reference_currency: z.string(),
  window: z.object({
    hours: z.number().int().min(1).max(MAX_DASHBOARD_HOURS),
    since: instant.meta({ description: 'generated_at − hours' }),
    from: instant.meta({ description: "The first bucket's start: `since` rounded down to its bucket (UTC)" }),
    to: instant,
    bucket: z.enum(['hour', 'day']),
  }),
  decisions: z
    .object({
      buckets: z.array(OutcomeCounts.extend({ start: instant })),
      totals: OutcomeCounts,
    })
    .meta({
      description:
        'Every decision consumed (APPROVE included), per bucket of its decided_at, from an hourly rollup; a batch redelivered after a crash is counted twice',
    }),
  queues: z
    .array(
      z.object({
        queue: z.string(),
        name: z.string().nullable().meta({ description: 'null for a queue no longer in the policy' }),
        sla_minutes: z.number().nullable(),
        open: count.meta({ description: 'Not closed: the backlog' }),
        claimed: count.meta({ description: 'Held by an analyst whose claim has not run out' }),
        snoozed: count,
        pending_approval: count,
        breached: count.meta({ description: 'Past their due time' }),
        oldest_opened_at: instant.nullable(),
        oldest_age_minutes: minutes,
        age: z.object({ under_1h: count, from_1h_to_4h: count, from_4h_to_24h: count, over_24h: count }),
      }),
    )
    .meta({ description: 'Now: every queue of the policy, then any other queue with open cases' }),
  sla_breaches: z
    .array(z.object({ start: instant, breached: count }))
    .meta({ description: 'Cases whose due time fell in the bucket (and has passed) while they were not closed' }),
  analysts: z
    .object({
      buckets: z.array(z.object({ start: instant, analyst: z.string(), dispositions: count, approvals: count })),
      totals: z.array(
        z.object({
          analyst: z.string(),
          dispositions: count,
          approvals: count,
          median_minutes_to_disposition: minutes,
        }),
      ),
      median_minutes_to_disposition: minutes,
    })
    .meta({
      description:
        'Per bucket of the closing: the dispositions a case closed on, by who made them (not the system: passed step-ups), and the approvals, by who approved; the median time from opening to closing',
    }),
  precision: z
    .object({
      by_rule: z.array(PrecisionCounts.extend({ rule_id: z.string() })),
      by_score_band: z.array(
        PrecisionCounts.extend({
          band: z.string(),
          min_score: z.number().int().nullable(),
          max_score: z.number().int().nullable(),
        }),
      ),
    })
    .meta({
      description:
        "The alerts of the cases closed in the window, each counted under its case's disposition: per rule that fired on it, and per band of its score (unscored: no model took part)",
    }),
});

export type DashboardResponse = z.infer<typeof DashboardResponse>;
