import { StepUpMethod, StepUpOutcome } from '@argus/contracts';
import { FieldErrorCode, FIELD_MAX_LENGTH, maskPansInText, parseIsoInstant } from '@argus/transaction';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode, type GatewayFieldError } from './gateway.errors';

/** A step-up outcome as a client reports it (POST /v1/step-up-results), validated. */
export interface StepUpReport {
  readonly transaction_id: string;
  /** The card the decision was for; needed only when the gateway did not decide the transaction itself. */
  readonly card_id: string | null;
  readonly method: StepUpMethod;
  readonly outcome: StepUpOutcome;
  /** UTC epoch millis. */
  readonly completed_at: number;
}

/** Clocks disagree a little; an outcome further in the future than this is a client bug, not skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Identifiers used as keys: printable ASCII without spaces (as ingestion requires of transaction ids). */
const KEY_CHARS = /^[!-~]+$/;

const identifier = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(KEY_CHARS, 'must be printable ASCII without spaces');

// Messages are fixed texts: none repeats a submitted value, which could be a card number.
const bodySchema = z
  .object(
    {
      transaction_id: identifier(FIELD_MAX_LENGTH.transaction_id),
      card_id: identifier(FIELD_MAX_LENGTH.card_id).nullish(),
      method: z.enum(StepUpMethod, { error: `must be one of ${Object.values(StepUpMethod).join(', ')}` }),
      outcome: z.enum(StepUpOutcome, { error: `must be one of ${Object.values(StepUpOutcome).join(', ')}` }),
      completed_at: z.string({ error: 'must be an ISO-8601 date-time with an offset' }),
    },
    { error: 'must be a JSON object' },
  )
  .strict();

/**
 * Validates a step-up result body. Throws a GatewayError (INVALID_STEP_UP_RESULT) naming every invalid field,
 * so a client fixes its request in one round trip.
 */
export function parseStepUpReport(body: unknown, now: number): StepUpReport {
  const errors: GatewayFieldError[] = [];
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(...fieldErrorsOf(issue, body));
    throw invalid(errors);
  }
  const value = parsed.data;
  for (const field of ['transaction_id', 'card_id'] as const) {
    const text = value[field];
    if (text != null && maskPansInText(text) !== text) {
      errors.push({ field, code: FieldErrorCode.CONTAINS_PAN, message: 'must not contain a card number' });
    }
  }
  const completed = parseIsoInstant(value.completed_at);
  if (!completed.ok) {
    errors.push({
      field: 'completed_at',
      code: FieldErrorCode.INVALID_FORMAT,
      message:
        completed.problem === 'NO_OFFSET'
          ? 'must carry an offset (Z or ±hh:mm)'
          : 'must be an ISO-8601 date-time such as 2026-05-01T10:15:30Z',
    });
  } else if (completed.epochMs > now + MAX_CLOCK_SKEW_MS) {
    errors.push({ field: 'completed_at', code: FieldErrorCode.EVENT_TIME_IN_FUTURE, message: 'is in the future' });
  }
  if (errors.length > 0 || !completed.ok) throw invalid(errors);
  return {
    transaction_id: value.transaction_id,
    card_id: value.card_id ?? null,
    method: value.method,
    outcome: value.outcome,
    completed_at: completed.epochMs,
  };
}

function fieldErrorsOf(issue: z.core.$ZodIssue, body: unknown): GatewayFieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: key.slice(0, 64),
      code: FieldErrorCode.INVALID_FORMAT,
      message: 'is not a known field',
    }));
  }
  const field = issue.path.length === 0 ? 'body' : issue.path.map(String).join('.');
  const top = issue.path[0];
  const given =
    typeof body === 'object' && body !== null && typeof top === 'string'
      ? (body as Record<string, unknown>)[top]
      : body;
  if (issue.path.length > 0 && given == null) {
    return [{ field, code: FieldErrorCode.MISSING_FIELD, message: 'is required' }];
  }
  const code = issue.code === 'too_big' ? FieldErrorCode.FIELD_TOO_LONG : FieldErrorCode.INVALID_FORMAT;
  return [{ field, code, message: issue.message }];
}

function invalid(fieldErrors: readonly GatewayFieldError[]): GatewayError {
  const list = fieldErrors.map((error) => `${error.field} ${error.code}`).join(', ');
  return new GatewayError(
    GatewayErrorCode.INVALID_STEP_UP_RESULT,
    `invalid step-up result (${fieldErrors.length} field error${fieldErrors.length === 1 ? '' : 's'}): ${list}`,
    { fieldErrors },
  );
}
