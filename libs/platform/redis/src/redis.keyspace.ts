import calculateSlot from 'cluster-key-slot';
import { isRedisCluster, type RedisClient } from './redis.client';
import { execPipelined } from './slot.pipeline';

const SCAN_COUNT = 5_000;

/** Every key matching the glob `match`, page by page: of the one server, or of every master of a cluster. */
export async function* scanKeys(client: RedisClient, match: string): AsyncGenerator<string[]> {
  for await (const page of client.scanStream({ match, count: SCAN_COUNT })) yield page as string[];
}

/**
 * UNLINKs keys and returns how many existed. One command on one server; on a cluster one command per slot (a
 * cluster refuses a multi-key command across slots: CROSSSLOT), pipelined per node.
 */
export async function unlinkKeys(client: RedisClient, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  if (!isRedisCluster(client)) return client.unlink(...keys);
  const bySlot = new Map<number, string[]>();
  for (const key of keys) {
    const slot = calculateSlot(key);
    const same = bySlot.get(slot);
    if (same === undefined) bySlot.set(slot, [key]);
    else same.push(key);
  }
  const { replies } = await execPipelined(
    client,
    [...bySlot.values()].map((slotKeys) => ({ key: slotKeys[0]!, queue: (pipeline) => pipeline.unlink(...slotKeys) })),
  );
  let unlinked = 0;
  for (const [error, count] of replies) {
    if (error) throw error;
    unlinked += Number(count);
  }
  return unlinked;
}

/** Deletes every key matching the glob `match` (every master of a cluster) and returns how many it deleted. */
export async function deleteMatching(client: RedisClient, match: string): Promise<number> {
  let deleted = 0;
  for await (const keys of scanKeys(client, match)) deleted += await unlinkKeys(client, keys);
  return deleted;
}
