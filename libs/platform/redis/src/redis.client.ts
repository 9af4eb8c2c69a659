import { Readable } from 'node:stream';
import type { Logger } from '@argus/logger';
import { Cluster, Redis, type ScanStreamOptions } from 'ioredis';
import { RedisError, RedisErrorCode } from './redis.errors';
import { parseRedisUrl } from './redis-url.parser';

/**
 * A Redis Cluster client. Besides what ioredis's Cluster does (routing by slot, following MOVED and ASK), its
 * `scanStream` walks the key space of every master, as `scanStream` of one server walks that server's.
 */
export class RedisCluster extends Cluster {
  scanStream(options?: ScanStreamOptions): Readable {
    return Readable.from(scanMasters(this, options));
  }
}

/** What every caller holds: one server or a cluster, both with the same commands, pipelines and scripts. */
export type RedisClient = Redis | RedisCluster;

export function isRedisCluster(client: RedisClient): client is RedisCluster {
  return client instanceof RedisCluster;
}

/**
 * The servers that hold the key space: the one server, or every master of a cluster (for INFO, DBSIZE, SCAN,
 * which each answer for one server). A cluster client connects first when it has not yet.
 */
export async function masterNodes(client: RedisClient): Promise<Redis[]> {
  if (!isRedisCluster(client)) return [client];
  if (client.status === 'wait') await client.connect();
  const masters = client.status === 'ready' ? client.nodes('master') : [];
  if (masters.length === 0) {
    throw new RedisError(RedisErrorCode.NOT_CONNECTED, `Redis Cluster has no connected master (${client.status})`);
  }
  return masters;
}

async function* scanMasters(cluster: RedisCluster, options: ScanStreamOptions | undefined): AsyncGenerator<string[]> {
  for (const node of await masterNodes(cluster)) {
    for await (const page of node.scanStream(options)) yield page as string[];
  }
}

export interface RedisClientOptions {
  /**
   * For probes and health checks: no reconnect, no offline queue, no retry, a short connect timeout; a failure
   * is reported at once instead of waited out.
   */
  readonly failFast?: boolean;
}

const PROBE_TIMEOUT_MS = 3_000;
const retryDelay = (attempt: number) => Math.min(attempt * 100, 2_000);

/**
 * The one Redis client factory: a `Redis` for `redis://` and `rediss://` URLs, a {@link RedisCluster} for
 * `redis+cluster://` and `rediss+cluster://` ones (see {@link parseRedisUrl}). Auto-pipelining batches
 * concurrent commands into one round trip (per node on a cluster); commands issued while disconnected are
 * queued and retried, so a short Redis restart loses nothing. Nothing connects before `connect()`.
 */
export function createRedis(url: string, logger: Logger, name: string, options: RedisClientOptions = {}): RedisClient {
  const target = parseRedisUrl(url);
  const failFast = options.failFast === true;
  const connection = {
    connectionName: name,
    maxRetriesPerRequest: failFast ? 0 : 20,
    ...(failFast
      ? {
          connectTimeout: PROBE_TIMEOUT_MS,
          // After a failed connect, ioredis keeps a 2 s timer that holds a CLI process open for nothing.
          disconnectTimeout: 50,
        }
      : {}),
  };
  const redis =
    target.kind === 'single'
      ? new Redis(target.url, {
          ...connection,
          enableAutoPipelining: !failFast,
          enableOfflineQueue: !failFast,
          retryStrategy: failFast ? () => null : retryDelay,
          lazyConnect: true,
        })
      : new RedisCluster([...target.nodes], {
          enableAutoPipelining: !failFast,
          enableOfflineQueue: !failFast,
          clusterRetryStrategy: failFast ? () => null : retryDelay,
          // A restarted master is reconnected, as one server is, instead of waiting for the next slot refresh.
          clusterNodeRetryStrategy: failFast ? null : retryDelay,
          slotsRefreshTimeout: failFast ? PROBE_TIMEOUT_MS : 1_000,
          lazyConnect: true,
          redisOptions: {
            ...connection,
            username: target.username,
            password: target.password,
            ...(target.tls ? { tls: {} } : {}),
          },
        });
  if (failFast) {
    // Reported by the rejected command or connect(); the event would only repeat it.
    redis.on('error', () => undefined);
  } else {
    redis.on('error', (error: Error) => logger.warn({ component: 'redis', err: error.message }, 'redis error'));
  }
  return redis;
}
