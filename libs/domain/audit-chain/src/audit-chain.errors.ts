export enum AuditChainErrorCode {
  /** A value cannot be written as canonical JSON (NaN, Infinity, bigint, undefined in an array, a cycle…). */
  INVALID_VALUE = 'INVALID_VALUE',
  /** An audit entry lacks a field or has one of the wrong shape. */
  INVALID_ENTRY = 'INVALID_ENTRY',
  /** The chain head given to `linkEntries` is not a positive seq with a 64-hex-digit hash. */
  INVALID_HEAD = 'INVALID_HEAD',
}

export class AuditChainError extends Error {
  override readonly name = 'AuditChainError';

  constructor(
    readonly code: AuditChainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
