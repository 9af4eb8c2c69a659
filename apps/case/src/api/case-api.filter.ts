import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AuthError } from '@argus/auth';
import { CaseError, CaseErrorCode } from '@argus/case';
import { CaseStoreError, CaseStoreErrorCode } from '@argus/case-store';
import { CASE_API_ERROR_STATUS, CaseApiError, type FieldError } from './case-api.errors';

interface Reply {
  status(code: number): Reply;
  send(body: unknown): void;
}

/** Every error answer of the case API: a stable code, a message a person can act on, the fields at fault. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field_errors?: readonly FieldError[];
}

const CASE_STATUS: Readonly<Record<CaseErrorCode, number>> = {
  [CaseErrorCode.INVALID_INPUT]: 400,
  [CaseErrorCode.FORBIDDEN]: 403,
  [CaseErrorCode.FOUR_EYES]: 403,
  [CaseErrorCode.NOT_FOUND]: 404,
  [CaseErrorCode.CLAIMED_BY_OTHER]: 409,
  [CaseErrorCode.INVALID_STATE]: 409,
};

type Handled = CaseApiError | CaseError | CaseStoreError | AuthError | HttpException;

/**
 * Maps typed errors to HTTP at the edge. A refusal by the database itself (four eyes, one open case per
 * card) is a 409 naming the constraint; a store that cannot be reached is a 503. Anything else keeps Nest's
 * answer (a 500 says nothing of the cause; the log does).
 */
@Catch(CaseApiError, CaseError, CaseStoreError, AuthError, HttpException)
export class CaseApiErrorFilter implements ExceptionFilter<Handled> {
  catch(error: Handled, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    const [status, body] = answer(error);
    reply.status(status).send(body);
  }
}

function answer(error: Handled): [number, ErrorBody | unknown] {
  if (error instanceof CaseApiError) {
    const body: ErrorBody = { error: error.code, message: error.message, field_errors: error.fieldErrors };
    return [CASE_API_ERROR_STATUS[error.code], body];
  }
  if (error instanceof CaseError) return [CASE_STATUS[error.code], { error: error.code, message: error.message }];
  if (error instanceof AuthError) return [401, { error: 'UNAUTHENTICATED', message: error.message }];
  if (error instanceof CaseStoreError) {
    if (error.code === CaseStoreErrorCode.CONSTRAINT_VIOLATED || error.code === CaseStoreErrorCode.VERSION_CONFLICT)
      return [409, { error: error.code, message: error.message }];
    if (error.code === CaseStoreErrorCode.NOT_FOUND) return [404, { error: 'NOT_FOUND', message: error.message }];
    return [503, { error: 'UNAVAILABLE', message: 'the case store is unavailable; try again' }];
  }
  const status = error.getStatus();
  const response = error.getResponse();
  if (status === 400 || status === 415 || status === 413)
    return [status, { error: 'INVALID_REQUEST', message: error.message } satisfies ErrorBody];
  return [status, typeof response === 'string' ? { statusCode: status, message: response } : response];
}
