import { CodedError } from '@argus/contracts';

/** What the gateway refuses, as the `error` code of its HTTP answers (stable: clients branch on them). */
export const GatewayErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_STEP_UP_RESULT: 'INVALID_STEP_UP_RESULT',
  /** The body is not JSON, or is empty, although the request says it is JSON. */
  INVALID_BODY: 'INVALID_BODY',
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  DUPLICATE_TRANSACTION: 'DUPLICATE_TRANSACTION',
  UNKNOWN_TRANSACTION: 'UNKNOWN_TRANSACTION',
  NOT_A_REVIEW: 'NOT_A_REVIEW',
  BACKPRESSURE: 'BACKPRESSURE',
  /** More decisions in flight than this replica can answer in time: shed, so the accepted ones stay fast. */
  OVERLOADED: 'OVERLOADED',
  DECISIONS_UNAVAILABLE: 'DECISIONS_UNAVAILABLE',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** The HTTP status of each code: the one place the edge mapping is decided. */
export const GATEWAY_ERROR_STATUS: Readonly<Record<GatewayErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  INVALID_STEP_UP_RESULT: 400,
  INVALID_BODY: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DUPLICATE_TRANSACTION: 409,
  UNKNOWN_TRANSACTION: 404,
  NOT_A_REVIEW: 409,
  BACKPRESSURE: 503,
  OVERLOADED: 503,
  DECISIONS_UNAVAILABLE: 503,
};

/** One invalid field of a request body; the same shape as ingestion's field errors. */
export interface GatewayFieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export interface GatewayErrorDetails {
  readonly fieldErrors?: readonly GatewayFieldError[];
  /** For RATE_LIMITED: when a retry can succeed. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

export class GatewayError extends CodedError<GatewayErrorCode> {
  override readonly name = 'GatewayError';
  readonly fieldErrors: readonly GatewayFieldError[] | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: GatewayErrorCode, message: string, details: GatewayErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.fieldErrors = details.fieldErrors;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The configuration file of API clients could not be used. */
export const ClientsFileErrorCode = {
  INVALID_CLIENTS_FILE: 'INVALID_CLIENTS_FILE',
} as const;
export type ClientsFileErrorCode = (typeof ClientsFileErrorCode)[keyof typeof ClientsFileErrorCode];

export class ClientsFileError extends CodedError<ClientsFileErrorCode> {
  override readonly name = 'ClientsFileError';
}
