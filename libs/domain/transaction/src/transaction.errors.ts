import { maskPansInText } from './pan.masker';

export const TransactionErrorCode = {
  INVALID_TRANSACTION: 'INVALID_TRANSACTION',
} as const;
export type TransactionErrorCode = (typeof TransactionErrorCode)[keyof typeof TransactionErrorCode];

/** Why one field was refused. Stable: the HTTP edge and the DLQ expose these codes to processors. */
export const FieldErrorCode = {
  MISSING_FIELD: 'MISSING_FIELD',
  FIELD_TOO_LONG: 'FIELD_TOO_LONG',
  INVALID_FORMAT: 'INVALID_FORMAT',
  AMOUNT_NOT_POSITIVE: 'AMOUNT_NOT_POSITIVE',
  AMOUNT_OVER_LIMIT: 'AMOUNT_OVER_LIMIT',
  AMOUNT_TOO_PRECISE: 'AMOUNT_TOO_PRECISE',
  UNKNOWN_CURRENCY: 'UNKNOWN_CURRENCY',
  EVENT_TIME_IN_FUTURE: 'EVENT_TIME_IN_FUTURE',
  EVENT_TIME_TOO_OLD: 'EVENT_TIME_TOO_OLD',
  INVALID_MCC: 'INVALID_MCC',
  INVALID_COUNTRY: 'INVALID_COUNTRY',
  INVALID_GEO: 'INVALID_GEO',
  INVALID_PAN: 'INVALID_PAN',
  MISSING_CARD: 'MISSING_CARD',
  CONTAINS_PAN: 'CONTAINS_PAN',
  TOO_MANY_ATTRIBUTES: 'TOO_MANY_ATTRIBUTES',
} as const;
export type FieldErrorCode = (typeof FieldErrorCode)[keyof typeof FieldErrorCode];

/** Same shape as the contracts' `FieldError`, so it goes into a DeadLetter or an HTTP 400 body as is. */
export interface TransactionFieldError {
  readonly field: string;
  readonly code: FieldErrorCode;
  readonly message: string;
}

/**
 * A transaction refused by validation, with every field error found (not only the first), so a processor
 * can fix a record in one round trip. Messages never hold a clear card number: they are masked here as a
 * last line of defence even though no message is built from a raw value.
 */
export class TransactionValidationError extends Error {
  readonly code = TransactionErrorCode.INVALID_TRANSACTION;
  readonly fieldErrors: readonly TransactionFieldError[];
  /** The record's transaction id when it could be read, for the DLQ and logs. */
  readonly transactionId: string | null;

  constructor(
    fieldErrors: readonly TransactionFieldError[],
    options?: { transactionId?: string | null; cause?: unknown },
  ) {
    const safe = fieldErrors.map((e) => ({
      field: maskPansInText(e.field),
      code: e.code,
      message: maskPansInText(e.message),
    }));
    super(describe(safe), { cause: options?.cause });
    this.name = 'TransactionValidationError';
    this.fieldErrors = safe;
    this.transactionId = options?.transactionId == null ? null : maskPansInText(options.transactionId);
  }
}

function describe(errors: readonly TransactionFieldError[]): string {
  const list = errors.map((e) => `${e.field} ${e.code}`).join(', ');
  return `invalid transaction (${errors.length} field error${errors.length === 1 ? '' : 's'}): ${list}`;
}

/** Collects field errors while a record is checked, so all of them are reported together. */
export class FieldErrorList {
  readonly errors: TransactionFieldError[] = [];

  add(field: string, code: FieldErrorCode, detail: string): void {
    this.errors.push({ field, code, message: `${field}: ${detail}` });
  }

  get isEmpty(): boolean {
    return this.errors.length === 0;
  }
}
