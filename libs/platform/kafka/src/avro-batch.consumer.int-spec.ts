import { randomUUID } from 'node:crypto';
import { Topics, type Label } from '@argus/contracts';
import { commonSettings, loadConfig } from '@argus/config';
import { createLogger } from '@argus/logger';
import type { ConsumedRecord } from './avro-batch.consumer';
import { KafkaRuntime } from './kafka.runtime';

// Against the real broker and registry of the local stack (`argus stack up`).
const config = loadConfig(commonSettings);
const runId = randomUUID().slice(0, 8);
const mask = (bytes: Buffer) => ({
  bytes: Buffer.from(bytes.toString('latin1').replace(/\d{16}/g, '*'.repeat(16)), 'latin1'),
  masked: true,
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const label = (n: number): Label => ({
  transaction_id: `${runId}-${n}`,
  card_id: `card-${n % 7}`,
  label: n % 2 ? 'FRAUD' : 'LEGITIMATE',
  source: 'HISTORY',
  reported_at: 1_700_000_000_000 + n,
  event_time: null,
  note: null,
});

describe('AvroBatchConsumer with a real broker', () => {
  const runtime = new KafkaRuntime({
    brokers: config.kafkaBrokers,
    schemaRegistryUrl: config.schemaRegistryUrl,
    service: 'kafka-int-spec',
    instanceId: runId,
    logger: createLogger({ service: 'kafka-int-spec', level: 'error' }),
    mask,
  });

  beforeAll(() => runtime.start(['labels']), 60_000);
  afterAll(() => runtime.stop());

  it('redelivers a batch whose handler failed, dead-letters undecodable bytes (masked), commits after success', async () => {
    await runtime.producer.send(
      'labels',
      Array.from({ length: 20 }, (_, n) => ({ key: `card-${n % 7}`, value: label(n) })),
    );
    await runtime.producer.sendRaw([
      { topic: Topics.labels.name, messages: [{ key: 'x', value: Buffer.from(`not avro ${runId} 4111111111111111`) }] },
    ]);

    const seen = new Map<string, number>();
    let failOnce = true;
    const groupId = `kafka-int-spec-${runId}`;
    const consumer = runtime.consumer({ groupId, topic: 'labels', fromBeginning: true });
    const dlq = runtime.kafka.consumer({ groupId: `${groupId}-dlq` });
    const letters: string[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: Topics.transactionsDlq.name, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        const letter = await runtime.serde.decode('transactionsDlq', message.value);
        // Only this runtime's letters: the feature service's labels consumer dead-letters the same bad bytes.
        if (letter.service === 'kafka-int-spec' && letter.original_value?.toString().includes(runId))
          letters.push(`${letter.reason_code}|${letter.original_value.toString()}`);
      },
    });

    await consumer.start(async (records: readonly ConsumedRecord<Label>[]) => {
      const ours = records.filter((r) => r.value.transaction_id.startsWith(runId));
      if (ours.length > 0 && failOnce) {
        failOnce = false;
        throw new Error('simulated failure before commit');
      }
      for (const record of ours)
        seen.set(record.value.transaction_id, (seen.get(record.value.transaction_id) ?? 0) + 1);
    });

    await until(() => seen.size === 20 && letters.length === 1, 60_000);
    expect(letters[0]).toBe(`BAD_MAGIC_BYTE|not avro ${runId} ****************`);

    // Offsets were committed: a new consumer in the same group gets nothing of ours again.
    await consumer.stop();
    const again = runtime.consumer({ groupId, topic: 'labels', fromBeginning: true });
    const replayed: string[] = [];
    await again.start(async (records) => {
      replayed.push(
        ...records.filter((r) => r.value.transaction_id.startsWith(runId)).map((r) => r.value.transaction_id),
      );
    });
    await runtime.producer.send('labels', [{ key: 'card-0', value: label(999) }]);
    await until(() => replayed.includes(`${runId}-999`), 60_000);
    expect(replayed).toEqual([`${runId}-999`]);
    await again.stop();
    await dlq.disconnect();
  }, 120_000);

  it('hands the partitions of one fetch to the handler together, each in its order, and commits them all', async () => {
    const run = `${runId}-gather`;
    const values = Array.from({ length: 36 }, (_, n) => ({ ...label(n), transaction_id: `${run}-${n}` }));
    await runtime.producer.send(
      'labels',
      values.map((value, n) => ({ key: `card-gather-${n}`, value })),
    );
    const calls: { partition: number; offset: bigint }[][] = [];
    const handled = new Map<string, number>();
    const groupId = `kafka-int-spec-gather-${runId}`;
    // A new group from the start: its first fetch brings every partition that holds records at once.
    const consumer = runtime.consumer({ groupId, topic: 'labels', fromBeginning: true });
    await consumer.start(async (records: readonly ConsumedRecord<Label>[]) => {
      calls.push(records.map((r) => ({ partition: r.partition, offset: BigInt(r.offset) })));
      for (const record of records.filter((r) => r.value.transaction_id.startsWith(run)))
        handled.set(record.value.transaction_id, (handled.get(record.value.transaction_id) ?? 0) + 1);
    });
    await until(() => handled.size === values.length, 60_000);
    await consumer.stop();

    expect([...handled.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(calls[0]!.map((r) => r.partition)).size).toBeGreaterThan(1);
    for (const call of calls) {
      for (const partition of new Set(call.map((r) => r.partition))) {
        const offsets = call.filter((r) => r.partition === partition).map((r) => r.offset);
        expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    }
    // The commit covered every partition handled (past an undecodable record too, dead-lettered, not handed over).
    const admin = runtime.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [Topics.labels.name] });
      for (const partition of new Set(calls.flat().map((r) => r.partition))) {
        const last = calls
          .flat()
          .filter((r) => r.partition === partition)
          .reduce((max, r) => (r.offset > max ? r.offset : max), -1n);
        const offset = committed!.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        expect(BigInt(offset)).toBeGreaterThanOrEqual(last + 1n);
      }
    } finally {
      await admin.disconnect();
    }
  }, 90_000);

  it('keeps its place in the group through a batch that outlasts the session, handling each record once', async () => {
    const slowRun = `${runId}-slow`;
    // Over many cards, so that every partition is busy with a slow batch: kafkajs heartbeats between fetches,
    // and a partition left idle would keep the member alive by itself.
    const values = Array.from({ length: 48 }, (_, n) => ({ ...label(n), transaction_id: `${slowRun}-${n}` }));
    const handled = new Map<string, number>();
    const handledUpTo = new Map<number, bigint>();
    const groupId = `kafka-int-spec-slow-${runId}`;
    const consumer = runtime.consumer({
      groupId,
      topic: 'labels',
      fromBeginning: false,
      sessionTimeoutMs: 6_000,
    });
    await consumer.start(async (records: readonly ConsumedRecord<Label>[]) => {
      const ours = records.filter((r) => r.value.transaction_id.startsWith(slowRun));
      if (ours.length === 0) return;
      // Longer than the 6 s session: only the heartbeats sent while busy keep the member in the group.
      await new Promise((resolve) => setTimeout(resolve, 9_000));
      for (const record of ours) {
        handled.set(record.value.transaction_id, (handled.get(record.value.transaction_id) ?? 0) + 1);
        const next = BigInt(record.offset) + 1n;
        if (next > (handledUpTo.get(record.partition) ?? 0n)) handledUpTo.set(record.partition, next);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // joined the group, at the end of the topic
    await runtime.producer.send(
      'labels',
      values.map((value, n) => ({ key: `card-slow-${n}`, value })),
    );
    await until(() => handled.size === values.length, 40_000);
    // A redelivery after a lost membership would show here as a second handling.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect([...handled.values()].every((count) => count === 1)).toBe(true);
    // And every commit went through: a member the group had dropped would have had them refused.
    const admin = runtime.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [Topics.labels.name] });
      for (const [partition, upTo] of handledUpTo) {
        const offset = committed!.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        expect(BigInt(offset)).toBeGreaterThanOrEqual(upTo);
      }
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
