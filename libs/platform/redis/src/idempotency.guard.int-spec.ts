import { randomUUID } from 'node:crypto';
import { connectTestRedis, nodeOf, redisTestTargets, spreadOverMasters } from './testing/redis.targets';
import { ClaimResult, IdempotencyGuard } from './idempotency.guard';
import type { RedisClient } from './redis.client';
import { deleteMatching } from './redis.keyspace';

// The guard against a real Redis, one server and a cluster: what it answers, and that a batch spanning every
// master still sees a second copy of an id through the first one's origin.
for (const target of redisTestTargets()) {
  (target.skipped === undefined ? describe : describe.skip)(`IdempotencyGuard on Redis (${target.label})`, () => {
    const namespace = `guard-int-${randomUUID().slice(0, 8)}`;
    let redis: RedisClient;
    let guard: IdempotencyGuard;

    beforeAll(async () => {
      redis = await connectTestRedis(target, 'guard-int');
      guard = new IdempotencyGuard(redis, namespace, 60);
    });

    afterAll(async () => {
      if (redis === undefined) return; // connectTestRedis failed: that error says why
      await deleteMatching(redis, `${namespace}:*`);
      redis.disconnect();
    });

    it('tells a first copy, a redelivery of it and a second submission apart', async () => {
      const id = randomUUID();
      expect(await guard.claim([{ id, origin: 'transactions/0/10' }])).toEqual([ClaimResult.NEW]);
      expect(await guard.claim([{ id, origin: 'transactions/0/10' }])).toEqual([ClaimResult.REDELIVERY]);
      expect(await guard.claim([{ id, origin: 'transactions/1/99' }])).toEqual([ClaimResult.DUPLICATE]);
      expect(await redis.ttl(`${namespace}:${id}`)).toBeGreaterThan(50);
    });

    it('answers a batch over every master in its order, a second copy seeing the first one in the same batch', async () => {
      const run = randomUUID().slice(0, 8);
      const ids = spreadOverMasters(redis, (i) => `${namespace}:${run}-${i}`, 4).map((i) => `${run}-${i}`);
      const nodes = new Set(ids.map((id) => nodeOf(redis, `${namespace}:${id}`)));
      expect(nodes.size).toBe(target.name === 'cluster' ? 3 : 1);
      const seen = ids[1]!;
      await guard.claim([{ id: seen, origin: 'earlier' }]);
      // Each id twice in one batch (the second copy from another partition), interleaved across nodes.
      const claims = [
        ...ids.map((id) => ({ id, origin: `a/${id}` })),
        ...ids.map((id) => ({ id, origin: `b/${id}` })),
        { id: ids[0]!, origin: `a/${ids[0]}` },
      ];
      const results = await guard.claim(claims);
      expect(results).toEqual([
        ...ids.map((id) => (id === seen ? ClaimResult.DUPLICATE : ClaimResult.NEW)),
        ...ids.map(() => ClaimResult.DUPLICATE),
        ClaimResult.REDELIVERY,
      ]);
    });
  });
}
