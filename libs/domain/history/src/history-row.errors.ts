import { maskCardNumbers } from './card-number.rules';

export const HistoryRowErrorCode = {
  MISSING_COLUMN: 'MISSING_COLUMN',
  EMPTY_VALUE: 'EMPTY_VALUE',
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_TIME: 'INVALID_TIME',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  UNKNOWN_CURRENCY: 'UNKNOWN_CURRENCY',
  INVALID_LABEL: 'INVALID_LABEL',
  INVALID_PAN: 'INVALID_PAN',
  MISSING_CARD: 'MISSING_CARD',
} as const;
export type HistoryRowErrorCode = (typeof HistoryRowErrorCode)[keyof typeof HistoryRowErrorCode];

/**
 * One CSV row that cannot become a transaction. Rows are never skipped silently: the replay tool reports
 * this with its line. The reason quotes the offending value to help fix the file, with card numbers masked.
 */
export class HistoryRowError extends Error {
  readonly reason: string;

  constructor(
    readonly line: number,
    readonly code: HistoryRowErrorCode,
    /** The Transaction field (or `label`, `pan`, `attributes.<key>`) being filled. */
    readonly field: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    const safeReason = maskCardNumbers(reason);
    super(`line ${line}: ${field}: ${safeReason}`, options);
    this.name = 'HistoryRowError';
    this.reason = safeReason;
  }
}
