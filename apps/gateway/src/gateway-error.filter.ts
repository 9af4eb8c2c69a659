import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { TransactionValidationError } from '@argus/transaction';
import { GATEWAY_ERROR_STATUS, GatewayError, GatewayErrorCode, type GatewayFieldError } from './gateway.errors';

/** The parts of a Fastify reply the filter uses. */
interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

/** Every error answer of the gateway: a stable code, a message a person can act on, and the details. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field_errors?: readonly GatewayFieldError[];
  readonly retry_after_ms?: number;
}

/** Errors Fastify raises while reading a body, before any handler runs: answered in the gateway's shape. */
const BODY_ERRORS: Readonly<Record<number, GatewayErrorCode>> = {
  400: GatewayErrorCode.INVALID_BODY,
  413: GatewayErrorCode.BODY_TOO_LARGE,
  415: GatewayErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

type Handled = GatewayError | TransactionValidationError | HttpException;

/**
 * Maps the gateway's typed errors to HTTP at the edge: status from the code, the body above, and a
 * Retry-After header (whole seconds, rounded up) on 429. A transaction refused by validation answers 400
 * with every invalid field, exactly as the ingestion webhook does. A body Fastify could not read (not JSON,
 * empty, too large) gets the same shape; every other HTTP exception (404, the readiness probe's 503) keeps
 * Nest's answer.
 */
@Catch(GatewayError, TransactionValidationError, HttpException)
export class GatewayErrorFilter implements ExceptionFilter<Handled> {
  catch(error: Handled, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const code = BODY_ERRORS[status];
      const answer = error.getResponse();
      if (code === undefined) {
        reply.status(status).send(typeof answer === 'string' ? { statusCode: status, message: answer } : answer);
        return;
      }
      const body: ErrorBody = { error: code, message: error.message };
      reply.status(status).send(body);
      return;
    }
    if (error instanceof TransactionValidationError) {
      const body: ErrorBody = { error: error.code, message: error.message, field_errors: error.fieldErrors };
      reply.status(400).send(body);
      return;
    }
    const body: ErrorBody = {
      error: error.code,
      message: error.message,
      ...(error.fieldErrors === undefined ? {} : { field_errors: error.fieldErrors }),
      ...(error.retryAfterMs === undefined ? {} : { retry_after_ms: error.retryAfterMs }),
    };
    if (error.retryAfterMs !== undefined) reply.header('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
    reply.status(GATEWAY_ERROR_STATUS[error.code]).send(body);
  }
}
