import { spawnSync } from 'node:child_process';
import { createLogger } from '@argus/logger';
import calculateSlot from 'cluster-key-slot';
import { createRedis, isRedisCluster, type RedisClient } from '../redis.client';
import { maskRedisUrl, parseRedisUrl } from '../redis-url.parser';

/** The local stack's Redis (`npx argus stack up`), or ARGUS_TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env['ARGUS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:16379';

/** The local stack's Redis Cluster (`ARGUS_REDIS_CLUSTER=3 npx argus stack up`), or ARGUS_TEST_REDIS_CLUSTER_URL. */
export const TEST_REDIS_CLUSTER_URL =
  process.env['ARGUS_TEST_REDIS_CLUSTER_URL'] ?? 'redis+cluster://127.0.0.1:16380,127.0.0.1:16381,127.0.0.1:16382';

const START_CLUSTER = 'ARGUS_REDIS_CLUSTER=3 npx argus stack up --only redis-cluster';

/**
 * One Redis an integration test runs against. Declare a suite per target, skipped (with the reason in its title)
 * when `skipped` says so: `(target.skipped === undefined ? describe : describe.skip)(\`… (${target.label})\`, …)`.
 */
export interface RedisTestTarget {
  readonly name: 'single node' | 'cluster';
  readonly url: string;
  /** Why this target does not run (the cluster is not up and was not required); undefined when it runs. */
  readonly skipped: string | undefined;
  /** The name, and the reason when it is skipped: for the suite's title. */
  readonly label: string;
}

/**
 * The single node always; the cluster as ARGUS_TEST_REDIS_CLUSTER says: `required` — it runs, and its tests fail
 * when it does not answer; `off` — it does not run; unset — it runs when it answers `cluster_state:ok` (asked
 * once, with redis-cli, when the test file loads) and its tests are reported as skipped, with the reason, when
 * it does not.
 */
export function redisTestTargets(mode = process.env['ARGUS_TEST_REDIS_CLUSTER'] ?? ''): RedisTestTarget[] {
  const single: RedisTestTarget = {
    name: 'single node',
    url: TEST_REDIS_URL,
    skipped: undefined,
    label: 'single node',
  };
  const cluster = (skipped: string | undefined): RedisTestTarget => ({
    name: 'cluster',
    url: TEST_REDIS_CLUSTER_URL,
    skipped,
    label: skipped === undefined ? 'cluster' : `cluster: ${skipped}`,
  });
  switch (mode) {
    case 'required':
      return [single, cluster(undefined)];
    case 'off':
      return [single, cluster('ARGUS_TEST_REDIS_CLUSTER=off')];
    case '':
      return [single, cluster(clusterAnswers() ? undefined : `not running; start it with ${START_CLUSTER}`)];
    default:
      throw new Error(`ARGUS_TEST_REDIS_CLUSTER=${mode}: expected required, off, or nothing (run when it is up)`);
  }
}

/**
 * A connected client for a target (lazy connect, auto-pipelining, as the services have it). A target that does
 * not answer fails here with what to start, instead of timing out in the first test.
 */
export async function connectTestRedis(target: RedisTestTarget, name: string): Promise<RedisClient> {
  const logger = createLogger({ service: name, level: 'warn' });
  const probe = createRedis(target.url, logger, `${name}-probe`, { failFast: true });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const start = target.name === 'cluster' ? START_CLUSTER : 'npx argus stack up';
    throw new Error(
      `the ${target.name} Redis at ${maskRedisUrl(target.url)} does not answer (${(error as Error).message}); ` +
        `start it with ${start}, or set ARGUS_TEST_REDIS${target.name === 'cluster' ? '_CLUSTER' : ''}_URL`,
      { cause: error },
    );
  } finally {
    probe.disconnect();
  }
  const redis = createRedis(target.url, logger, name);
  await redis.connect();
  return redis;
}

/** Whether the cluster's first seed node says `cluster_state:ok`. */
function clusterAnswers(): boolean {
  const target = parseRedisUrl(TEST_REDIS_CLUSTER_URL);
  if (target.kind !== 'cluster') return false;
  const [seed] = target.nodes;
  const result = spawnSync('redis-cli', ['-h', seed!.host, '-p', String(seed!.port), 'cluster', 'info'], {
    encoding: 'utf8',
    timeout: 3_000,
    env: { ...process.env, ...(target.password === undefined ? {} : { REDISCLI_AUTH: target.password }) },
  });
  return result.status === 0 && /^cluster_state:ok\s*$/m.test(result.stdout);
}

/** The address of the node serving `key` ("127.0.0.1:16380"), by the client's slot map; `single` on one server. */
export function nodeOf(client: RedisClient, key: string): string {
  if (!isRedisCluster(client)) return 'single';
  const node = client.slots[calculateSlot(key)]?.[0];
  if (node === undefined) throw new Error(`no node serves the slot of ${key} (is the client connected?)`);
  return node;
}

/**
 * Numbers 0, 1, 2, … whose `keyOf(i)` land on every master, `each` per master (on one server: 0 to each - 1),
 * in increasing order: for batches that must span the whole cluster.
 */
export function spreadOverMasters(client: RedisClient, keyOf: (i: number) => string, each: number): number[] {
  const masters = isRedisCluster(client) ? client.nodes('master').length : 1;
  const counts = new Map<string, number>();
  const chosen: number[] = [];
  for (let i = 0; chosen.length < masters * each; i++) {
    if (i > 100_000) throw new Error(`could not spread ${each} keys over ${masters} masters`);
    const node = nodeOf(client, keyOf(i));
    if ((counts.get(node) ?? 0) >= each) continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
    chosen.push(i);
  }
  return chosen;
}
