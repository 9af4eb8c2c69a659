import { RedisError, RedisErrorCode } from './redis.errors';

/** A Redis server's address. */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Where a client connects: one server (the URL as ioredis reads it), or the seed nodes of a Redis Cluster. */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster';
      /** Seed nodes: the client learns every master and the slots each serves from any one of them. */
      readonly nodes: readonly RedisNodeAddress[];
      readonly username: string | undefined;
      readonly password: string | undefined;
      readonly tls: boolean;
    };

const DEFAULT_PORT = 6379;
const SINGLE_PROTOCOLS = ['redis:', 'rediss:'];
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/?#]*)@)?([^/?#]*)\/?$/i;
const EXPECTED =
  'expected redis://[user:password@]host:port[/db] for one server, or ' +
  'redis+cluster://[user:password@]host:port,host:port,… (rediss+cluster:// for TLS) for a Redis Cluster';

function invalid(why: string): RedisError {
  return new RedisError(RedisErrorCode.INVALID_URL, `${why}; ${EXPECTED}`);
}

/**
 * Reads a Redis URL: `redis://` or `rediss://` for one server; `redis+cluster://` or `rediss+cluster://` followed
 * by comma-separated `host:port` seed nodes for a Redis Cluster (a cluster has only database 0: no path).
 * Never echoes the URL in an error, since it may carry a password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const cluster = CLUSTER_URL.exec(url.trim());
  if (cluster !== null) return parseCluster(cluster[1]!.toLowerCase() === 'rediss', cluster[2], cluster[3]!);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url.includes(',') ? 'a list of servers needs the redis+cluster:// scheme' : 'not a URL');
  }
  if (!SINGLE_PROTOCOLS.includes(parsed.protocol)) throw invalid(`unknown scheme ${parsed.protocol}//`);
  if (parsed.hostname === '') throw invalid('no host');
  return { kind: 'single', url };
}

function parseCluster(tls: boolean, userInfo: string | undefined, hostList: string): RedisTarget {
  const seeds = hostList.split(',').map((seed) => seed.trim());
  if (seeds.some((seed) => seed === '')) throw invalid('an empty seed node in the cluster list');
  const nodes = seeds.map((seed) => {
    let parsed: URL;
    try {
      parsed = new URL(`redis://${seed}`);
    } catch {
      throw invalid(`seed node ${seed} is not host:port`);
    }
    const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
    if (parsed.hostname === '' || parsed.username !== '' || parsed.pathname !== '' || port < 1) {
      throw invalid(`seed node ${seed} is not host:port`);
    }
    // ioredis wants an IPv6 address without the brackets a URL needs.
    return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  });
  let username: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined && userInfo !== '') {
    const colon = userInfo.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
    username = user === '' ? undefined : user;
    password = colon < 0 ? undefined : decodeURIComponent(userInfo.slice(colon + 1));
  }
  return { kind: 'cluster', nodes, username, password, tls };
}

/** The URL with its password replaced by `***`, for logs and status tables. */
export function maskRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** `redis+cluster://host:port,host:port,…` for these nodes (no credentials). */
export function redisClusterUrl(nodes: readonly RedisNodeAddress[]): string {
  return `redis+cluster://${nodes.map((node) => `${node.host}:${node.port}`).join(',')}`;
}
