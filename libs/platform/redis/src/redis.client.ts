import type { Logger } from '@argus/logger';
import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

/**
 * The one Redis client factory. Auto-pipelining batches concurrent commands into one round trip; commands
 * issued while disconnected are queued and retried, so a short Redis restart loses nothing.
 */
export function createRedis(url: string, logger: Logger, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 20,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: true,
  });
  redis.on('error', (error: Error) => logger.warn({ component: 'redis', err: error.message }, 'redis error'));
  return redis;
}
