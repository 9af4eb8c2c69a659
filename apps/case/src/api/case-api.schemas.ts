import { Disposition } from '@argus/contracts';
import { z } from 'zod';
import { CaseApiError, CaseApiErrorCode, type FieldError } from './case-api.errors';

// Request shapes of the case API, validated at the edge. The OpenAPI document is generated from these same
// schemas (z.toJSONSchema), so the document cannot drift from what is enforced.

const text = (max: number) => z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max);
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' });

export const LoginBody = z
  .object({ user: text(64), password: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(256) })
  .strict();

export const TakeNextBody = z
  .object({ queues: z.array(text(64)).max(50).optional() })
  .strict()
  .meta({ description: 'Which queues to take from; every queue the caller may work when absent.' });

const statuses = ['OPEN', 'CLAIMED', 'SNOOZED', 'PENDING_APPROVAL', 'CLOSED'] as const;

export const QueueParams = z
  .object({
    queue: text(64).optional().meta({ description: 'Comma-separated queue ids' }),
    status: z
      .string()
      .optional()
      .refine(
        (value) => value === undefined || value.split(',').every((s) => (statuses as readonly string[]).includes(s)),
        {
          message: `must be a comma-separated list of ${statuses.join(', ')}`,
        },
      )
      .meta({ description: 'Comma-separated statuses, as of now (an expired claim is OPEN); default all but CLOSED' }),
    assignee: text(64).optional(),
    card: text(128).optional(),
    breached: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    sort: z.enum(['priority', 'due'], { error: 'must be priority or due' }).optional(),
    limit: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be 1–500')
      .max(500, 'must be 1–500')
      .optional(),
    offset: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(1_000_000, 'must be at most 1000000')
      .optional(),
  })
  .strict();

export const ActionBody = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('claim') }).strict(),
    z.object({ type: z.literal('release') }).strict(),
    z.object({ type: z.literal('assign'), to: text(64) }).strict(),
    z.object({ type: z.literal('note'), text: text(4_000) }).strict(),
    z.object({ type: z.literal('escalate'), reason: text(1_000) }).strict(),
    z.object({ type: z.literal('snooze'), until: instant }).strict(),
    z
      .object({
        type: z.literal('dispose'),
        disposition: z.enum(Disposition, { error: `must be one of ${Object.values(Disposition).join(', ')}` }),
        reason_code: z
          .string({ error: 'must be a string' })
          .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be an upper-case code such as CARDHOLDER_DENIED'),
      })
      .strict(),
    z.object({ type: z.literal('approve') }).strict(),
    z.object({ type: z.literal('reject'), reason: text(1_000) }).strict(),
  ],
  { error: 'type must be one of claim, release, assign, note, escalate, snooze, dispose, approve, reject' },
);

export type ActionBody = z.infer<typeof ActionBody>;

/** Parses `value` or throws INVALID_REQUEST naming every invalid field (`(body)` for the body as a whole). */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const fieldErrors: FieldError[] = parsed.error.issues.map((issue) => ({
    field: issue.path.length === 0 ? `(${what})` : issue.path.join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new CaseApiError(
    CaseApiErrorCode.INVALID_REQUEST,
    `invalid ${what}: ${fieldErrors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    fieldErrors,
  );
}
