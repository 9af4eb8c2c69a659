/**
 * The decision path degrades, never stops, across the running services (started by `npm test`):
 * - the scoring service killed → the combiner decides on the rules alone once the score budget is spent,
 *   and every decision says SCORE_TIMEOUT; when scoring is back, decisions carry its verdict again;
 * - Redis stopped (SIGSTOP: connections stay open and nothing answers, the worst case for a client) →
 *   features are computed from the transaction alone, de-duplication fails open, and every decision says
 *   STATE_UNAVAILABLE; rules on the transaction still fire.
 */
import { randomUUID } from 'node:crypto';
import type { Decision, Transaction } from '@argus/contracts';
import type { KafkaRuntime } from '@argus/kafka';
import {
  loadStackSettings,
  seededRandom,
  servicesUp,
  stackStatus,
  startTestKafka,
  stopService,
  syntheticTransaction,
  TopicCollector,
  waitFor,
} from '@argus/testing';

const settings = loadStackSettings();
const runId = `fallback-${randomUUID().slice(0, 8)}`;

describe('decisioning fallbacks end to end', () => {
  let kafka: KafkaRuntime;
  let decisions: TopicCollector<'decisions'>;
  const random = seededRandom(11);
  let sequence = 0;

  beforeAll(async () => {
    kafka = await startTestKafka(settings, 'e2e-fallbacks', runId, ['transactions', 'decisions']);
    decisions = new TopicCollector(kafka.kafka, kafka.serde, 'decisions', (decision) =>
      decision.transaction_id.startsWith(runId),
    );
    await decisions.start();
  }, 60_000);

  afterAll(async () => {
    await servicesUp(settings);
    await decisions?.stop();
    await kafka?.stop();
  }, 120_000);

  /** Sends `count` transactions (one on a sanctioned merchant country, so a rule must block it). */
  async function send(count: number): Promise<{ ids: string[]; sanctioned: string }> {
    const batch: Transaction[] = Array.from({ length: count }, () =>
      syntheticTransaction(sequence++, random, { runId, cards: 50 }),
    );
    batch[0] = { ...batch[0]!, merchant_country: 'IR' };
    await kafka.producer.send(
      'transactions',
      batch.map((transaction) => ({ key: transaction.card_id!, value: transaction })),
    );
    return { ids: batch.map((t) => t.transaction_id), sanctioned: batch[0]!.transaction_id };
  }

  async function decided(ids: readonly string[]): Promise<Map<string, Decision>> {
    const wanted = new Set(ids);
    const found = () =>
      new Map(
        decisions.records
          .filter((r) => wanted.has(r.value.transaction_id))
          .map((r) => [r.value.transaction_id, r.value]),
      );
    await waitFor(() => found().size === wanted.size, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: `${ids.length} decisions`,
    });
    return found();
  }

  it('decides on the rules alone, saying SCORE_TIMEOUT, while the scoring service is down', async () => {
    await stopService(settings, 'scoring', { kill: true });
    const { ids, sanctioned } = await send(30);
    const byId = await decided(ids);
    for (const decision of byId.values()) {
      expect(decision.degraded).toEqual(expect.arrayContaining(['SCORE_TIMEOUT', 'SCORE_UNAVAILABLE']));
      expect(decision.score).toBeNull();
      expect(decision.reasons).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'FALLBACK', code: 'SCORE_TIMEOUT' })]),
      );
    }
    expect(byId.get(sanctioned)).toMatchObject({ outcome: 'BLOCK' });
    expect(byId.get(sanctioned)!.reasons.map((r) => r.code)).toContain('sanctioned-merchant-country');

    await servicesUp(settings);
    const after = await decided((await send(30)).ids);
    // Back: a score (or NO_MODEL when the registry has no champion) joins every decision, never a timeout.
    for (const decision of after.values()) expect(decision.degraded).not.toContain('SCORE_TIMEOUT');
  }, 180_000);

  it('computes features from the transaction alone, saying STATE_UNAVAILABLE, while Redis is stopped', async () => {
    const redis = (await stackStatus({ settings })).find((c) => c.name === 'redis' || c.name === 'redis-cluster');
    // One server, or every master of the stack's Redis Cluster (ARGUS_REDIS_CLUSTER).
    const pids = [redis?.pid ?? null, ...(redis?.nodes ?? []).map((node) => node.pid)];
    if (pids.every((pid) => pid === null) || redis?.nodes?.some((node) => node.pid === null)) {
      throw new Error('this test stops the stack’s own Redis: run it against `argus stack up` (not an external Redis)');
    }
    const frozen = pids.filter((pid) => pid !== null);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    let during: Map<string, Decision>;
    let sanctionedId: string;
    try {
      const { ids, sanctioned } = await send(20);
      sanctionedId = sanctioned;
      during = await decided(ids);
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
    for (const decision of during.values()) {
      expect(decision.degraded).toContain('STATE_UNAVAILABLE');
      expect(decision.reasons).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'FALLBACK', code: 'STATE_UNAVAILABLE' })]),
      );
    }
    expect(during.get(sanctionedId)).toMatchObject({ outcome: 'BLOCK' });

    // A cluster's masters, all frozen together, may count each other as failing for a few node timeouts.
    await waitFor(async () => (await stackStatus({ settings, only: [redis!.name] }))[0]?.healthy === true, {
      timeoutMs: 30_000,
      description: `${redis!.name} to answer again after SIGCONT`,
    });
    const after = await decided((await send(20)).ids);
    for (const decision of after.values()) expect(decision.degraded).not.toContain('STATE_UNAVAILABLE');
  }, 180_000);
});
