import { PgError, PgErrorCode, pgErrorCodeOf, toPgError } from './pg.errors';

function driverError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

describe('pgErrorCodeOf', () => {
  it.each([
    ['ECONNREFUSED', PgErrorCode.CONNECTION_FAILED],
    ['ENOTFOUND', PgErrorCode.CONNECTION_FAILED],
    ['28P01', PgErrorCode.CONNECTION_FAILED],
    ['3D000', PgErrorCode.CONNECTION_FAILED],
    ['08006', PgErrorCode.CONNECTION_FAILED],
    ['57P01', PgErrorCode.CONNECTION_FAILED],
    ['23505', PgErrorCode.UNIQUE_VIOLATION],
    ['40001', PgErrorCode.SERIALIZATION_FAILURE],
    ['40P01', PgErrorCode.SERIALIZATION_FAILURE],
    ['57014', PgErrorCode.TIMEOUT],
    ['55P03', PgErrorCode.TIMEOUT],
    ['42P01', PgErrorCode.QUERY_FAILED],
    ['23502', PgErrorCode.QUERY_FAILED],
  ])('sorts %s as %s', (code, expected) => {
    expect(pgErrorCodeOf(driverError(code))).toBe(expected);
  });

  it('treats a driver timeout without a code as a connection failure', () => {
    expect(pgErrorCodeOf(new Error('Connection terminated due to connection timeout'))).toBe(
      PgErrorCode.CONNECTION_FAILED,
    );
  });

  it('treats anything else without a code as a query failure', () => {
    expect(pgErrorCodeOf('weird')).toBe(PgErrorCode.QUERY_FAILED);
  });
});

describe('toPgError', () => {
  it('keeps the driver error as the cause and its SQLSTATE', () => {
    const cause = driverError('23505', 'duplicate key value violates unique constraint "t_pkey"');
    const error = toPgError(cause, 'query t.insert failed');
    expect(error).toBeInstanceOf(PgError);
    expect(error.code).toBe(PgErrorCode.UNIQUE_VIOLATION);
    expect(error.sqlState).toBe('23505');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('query t.insert failed: duplicate key value violates unique constraint "t_pkey"');
  });

  it('passes a PgError through unchanged', () => {
    const original = new PgError(PgErrorCode.MIGRATION_CHANGED, 'changed');
    expect(toPgError(original, 'ctx')).toBe(original);
  });
});
