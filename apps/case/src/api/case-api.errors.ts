/** A field the API refused, named by its path in the body or query (`disposition`, `until`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export enum CaseApiErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  INVALID_REQUEST = 'INVALID_REQUEST',
  NOT_FOUND = 'NOT_FOUND',
}

export const CASE_API_ERROR_STATUS: Readonly<Record<CaseApiErrorCode, number>> = {
  [CaseApiErrorCode.UNAUTHENTICATED]: 401,
  [CaseApiErrorCode.FORBIDDEN]: 403,
  [CaseApiErrorCode.INVALID_REQUEST]: 400,
  [CaseApiErrorCode.NOT_FOUND]: 404,
};

export class CaseApiError extends Error {
  override readonly name = 'CaseApiError';

  constructor(
    readonly code: CaseApiErrorCode,
    message: string,
    readonly fieldErrors?: readonly FieldError[],
  ) {
    super(message);
  }
}
