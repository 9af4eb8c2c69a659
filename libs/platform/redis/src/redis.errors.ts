export enum RedisErrorCode {
  /** `ARGUS_REDIS_URL` (or a URL given to `createRedis`) names neither one server nor a cluster that can be used. */
  INVALID_URL = 'INVALID_URL',
  /** A cluster-wide operation (SCAN of every master) was asked of a cluster client that is not connected. */
  NOT_CONNECTED = 'NOT_CONNECTED',
}

/** The one error type of the Redis adapter: `code` says what failed; the original cause is kept. */
export class RedisError extends Error {
  override readonly name = 'RedisError';

  constructor(
    readonly code: RedisErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
