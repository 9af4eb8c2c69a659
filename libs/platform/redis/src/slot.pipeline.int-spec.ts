import { randomUUID } from 'node:crypto';
import { connectTestRedis, nodeOf, redisTestTargets, spreadOverMasters } from './testing/redis.targets';
import calculateSlot from 'cluster-key-slot';
import type { ChainableCommander } from 'ioredis';
import { isRedisCluster, masterNodes, type RedisClient } from './redis.client';
import { deleteMatching, scanKeys, unlinkKeys } from './redis.keyspace';
import { execPipelined } from './slot.pipeline';

const incr = (key: string) => ({ key, queue: (pipeline: ChainableCommander) => pipeline.incr(key) });

async function allKeys(redis: RedisClient, match: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of scanKeys(redis, match)) keys.push(...page);
  return keys.sort();
}

// Pipelines split by node, against a real Redis: one server and a cluster of three masters.
for (const target of redisTestTargets()) {
  (target.skipped === undefined ? describe : describe.skip)(`execPipelined and the key space (${target.label})`, () => {
    const prefix = `pipeline-int-${randomUUID().slice(0, 8)}`;
    let redis: RedisClient;
    const masters = target.name === 'cluster' ? 3 : 1;

    beforeAll(async () => {
      redis = await connectTestRedis(target, 'pipeline-int');
    });

    afterAll(async () => {
      if (redis === undefined) return; // connectTestRedis failed: that error says why
      await deleteMatching(redis, `${prefix}*`);
      redis.disconnect();
    });

    it('sends a batch over every master as one pipeline per master and answers in the batch order', async () => {
      const keys = spreadOverMasters(redis, (i) => `${prefix}:a:${i}`, 5).map((i) => `${prefix}:a:${i}`);
      // Every key three times, interleaved: the n-th INCR of a key must answer n.
      const batch = [...keys, ...keys, ...keys].map(incr);
      const result = await execPipelined(redis, batch);
      expect(result.rounds).toBe(1);
      expect(result.pipelines).toBe(masters);
      expect(result.replies).toEqual([
        ...keys.map(() => [null, 1]),
        ...keys.map(() => [null, 2]),
        ...keys.map(() => [null, 3]),
      ]);
    });

    // One server has no slot map to go stale.
    (target.name === 'cluster' ? it : it.skip)(
      're-sends what a stale slot map sent to the wrong node, and still answers in order',
      async () => {
        if (!isRedisCluster(redis)) throw new Error('expected a cluster client');
        const [a, b] = spreadOverMasters(redis, (i) => `${prefix}:m:${i}`, 1).map((i) => `${prefix}:m:${i}`);
        const [slotA, slotB] = [calculateSlot(a!), calculateSlot(b!)];
        const [nodeB, groupB] = [redis.slots[slotB], redis._groupsBySlot[slotB]];
        // As if b's slot had just moved to a's node without the client knowing: b's commands go there, are
        // refused with MOVED while a's run, and ioredis gives the mixed pipeline's errors back as they are.
        redis.slots[slotB] = [...redis.slots[slotA]!];
        redis._groupsBySlot[slotB] = redis._groupsBySlot[slotA]!;
        try {
          const result = await execPipelined(redis, [incr(b!), incr(a!), incr(b!), incr(a!)]);
          expect(result.replies).toEqual([
            [null, 1],
            [null, 1],
            [null, 2],
            [null, 2],
          ]);
          expect({ rounds: result.rounds, pipelines: result.pipelines }).toEqual({ rounds: 2, pipelines: 2 });
          expect(nodeOf(redis, b!)).toBe(nodeB![0]); // ioredis followed the MOVED and fixed its map
        } finally {
          redis.slots[slotB] = nodeB!;
          redis._groupsBySlot[slotB] = groupB!;
        }
      },
    );

    it('scans every master and unlinks keys of many slots', async () => {
      const keys = Array.from({ length: 300 }, (_, i) => `${prefix}:s:${i}`);
      await execPipelined(
        redis,
        keys.map((key) => ({ key, queue: (pipeline) => pipeline.set(key, '1', 'EX', 60) })),
      );
      expect((await masterNodes(redis)).length).toBe(masters);
      expect(await allKeys(redis, `${prefix}:s:*`)).toEqual([...keys].sort());
      expect(await unlinkKeys(redis, keys.slice(0, 100))).toBe(100);
      expect(await allKeys(redis, `${prefix}:s:*`)).toHaveLength(200);
      expect(await deleteMatching(redis, `${prefix}:s:*`)).toBe(200);
      expect(await allKeys(redis, `${prefix}:s:*`)).toEqual([]);
    });
  });
}
