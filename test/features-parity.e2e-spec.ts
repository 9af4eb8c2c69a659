/**
 * Training sees what scoring sees: for the same history, the feature vectors the running feature service emits
 * (Kafka → ingestion → feature service, state in Redis) equal the rows `argus backfill` writes (state in memory),
 * transaction by transaction, value by value.
 *
 * The live side is fed one item at a time — a transaction, then its vector awaited; a label, then the label
 * consumer's commit awaited — so both sides see the history in the same order. (Under load, cross-partition
 * order is up to the broker: that is a property of streaming, not of the feature code under test here.)
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topics, type Label } from '@argus/contracts';
import { FEATURE_NAMES, FEATURE_SCHEMA_HASH, featureNamesOf } from '@argus/features';
import type { KafkaRuntime } from '@argus/kafka';
import { createLogger } from '@argus/logger';
import { createRedis, deleteMatching, type RedisClient } from '@argus/redis';
import {
  loadStackSettings,
  localPanTokenKey,
  stackUrls,
  startTestKafka,
  TopicCollector,
  waitFor,
} from '@argus/testing';
import { PanTokeniser } from '@argus/transaction';
import { parse } from 'csv-parse/sync';
import { runBackfill } from '../apps/cli/src/backfill/backfill.runner';
import { historyTimeline } from '../apps/cli/src/history/history.timeline';

const exec = promisify(execFile);
const settings = loadStackSettings();
const urls = stackUrls(settings);
const runId = `parity-${randomUUID().slice(0, 8)}`;
const DAY = 86_400_000;

/** Prefixes the transaction ids of a CSV (ingestion remembers ids for a week: every run needs fresh ones). */
function prefixIds(file: string): void {
  const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
  const columns = Object.keys(rows[0]!);
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = rows.map((row) =>
    columns.map((c) => cell(c === 'transaction_id' ? `${runId}-${row[c]}` : (row[c] ?? ''))).join(','),
  );
  writeFileSync(file, `${columns.join(',')}\n${lines.join('\n')}\n`);
}

describe('feature parity: live feature service = backfill', () => {
  let kafka: KafkaRuntime;
  let redis: RedisClient;
  let vectors: TopicCollector<'transactionsFeatures'>;
  const dir = mkdtempSync(join(tmpdir(), 'argus-parity-'));

  beforeAll(async () => {
    kafka = await startTestKafka(settings, 'e2e-parity', runId, ['transactions', 'labels', 'transactionsFeatures']);
    redis = createRedis(urls.redisUrl, createLogger({ service: 'e2e-parity', level: 'warn' }), 'e2e-parity');
    await redis.connect();
    vectors = new TopicCollector(kafka.kafka, kafka.serde, 'transactionsFeatures', (v) =>
      v.transaction.transaction_id.startsWith(runId),
    );
    await vectors.start();
  }, 120_000);

  afterAll(async () => {
    await vectors?.stop();
    await kafka?.stop();
    redis?.disconnect();
  });

  it('emits, for every transaction of a simulated history, exactly the vector backfill computes', async () => {
    // A small simulated history that ended a day ago (ingestion accepts events up to 30 days old).
    const start = new Date(Date.now() - 5 * DAY).toISOString();
    await exec(
      'node',
      [
        'bin/argus.js',
        'simulate',
        ...[
          '--out',
          dir,
          '--customers',
          '300',
          '--days',
          '4',
          '--seed',
          '11',
          '--fraud-rate',
          '0.05',
          '--start',
          start,
        ],
      ],
      { cwd: settings.repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    const transactionsFile = join(dir, 'transactions.csv');
    const labelsFile = join(dir, 'labels.csv');
    prefixIds(transactionsFile);
    prefixIds(labelsFile);

    // Feature state from earlier runs (same simulated cards and merchants) must not leak into this one.
    await deleteMatching(redis, 'f:*');

    // Live: walk the same timeline the backfill walks, one item at a time.
    const tokeniser = new PanTokeniser({ keyId: 'k1', key: Buffer.from(localPanTokenKey(settings), 'utf8') });
    const admin = kafka.kafka.admin();
    await admin.connect();
    let sent = 0;
    let labels = 0;
    for await (const item of historyTimeline({
      file: transactionsFile,
      format: 'argus',
      labelsFile,
      tokenise: (pan) => tokeniser.tokenise(pan),
    })) {
      if (item.kind === 'rejected') throw new Error(`line ${item.line}: ${item.reason}`);
      if (item.kind === 'transaction') {
        await kafka.producer.send('transactions', [
          { key: item.transaction.card_id ?? item.transaction.customer_id, value: item.transaction },
        ]);
        sent += 1;
        await waitFor(() => vectors.records.length >= sent, {
          timeoutMs: 30_000,
          intervalMs: 2,
          description: `the feature vector of ${item.transaction.transaction_id}`,
        });
        continue;
      }
      if (item.label.reportedAt > Date.now()) continue; // the future: neither side applies it before its rows
      const label: Label = {
        transaction_id: item.label.transactionId,
        card_id: item.label.cardId ?? '',
        label: item.label.fraud ? 'FRAUD' : 'LEGITIMATE',
        source: item.label.source,
        reported_at: item.label.reportedAt,
        event_time: item.label.eventTime,
        note: null,
      };
      await kafka.producer.send('labels', [{ key: label.card_id, value: label }]);
      labels += 1;
      const ends = await admin.fetchTopicOffsets(Topics.labels.name);
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({
            groupId: 'argus-feature-labels',
            topics: [Topics.labels.name],
          });
          // A partition that never had a record has nothing to commit (-1); any other must be committed to its end.
          return ends.every((end) => {
            const offset = Number(committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
            return Number(end.high) === 0 || offset >= Number(end.high);
          });
        },
        { timeoutMs: 30_000, intervalMs: 5, description: 'the feature service to apply a label' },
      );
    }
    await admin.disconnect();
    expect(sent).toBeGreaterThan(800);
    expect(labels).toBeGreaterThan(10);

    // Offline: the same files through backfill.
    const out = join(dir, 'table.csv');
    const summary = await runBackfill({
      file: transactionsFile,
      format: 'argus',
      labelsFile,
      out,
      panTokenKey: localPanTokenKey(settings),
      panTokenKeyId: 'k1',
      progress: false,
      rulesFile: 'deploy/config/rules/default.yaml',
      policyFile: 'deploy/config/policy/default.yaml',
    });
    expect(summary.rejected).toEqual([]);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    const offline = new Map(rows.map((row) => [row['transaction_id']!, row]));

    let compared = 0;
    for (const { value: vector } of vectors.records) {
      expect(vector.schema_hash).toBe(FEATURE_SCHEMA_HASH);
      expect(vector.names).toEqual([]); // of this catalog: named by its schema hash
      expect(featureNamesOf(vector)).toEqual(FEATURE_NAMES);
      const row = offline.get(vector.transaction.transaction_id);
      expect(row).toBeDefined();
      const live = Object.fromEntries(featureNamesOf(vector)!.map((name, i) => [name, vector.values[i]!]));
      const backfilled = Object.fromEntries(
        FEATURE_NAMES.map((name) => [name, row![name] === '' ? Number.NaN : Number(row![name])]),
      );
      expect({ transaction: vector.transaction.transaction_id, features: live }).toEqual({
        transaction: vector.transaction.transaction_id,
        features: backfilled,
      });
      expect(row!['channel']).toBe(vector.transaction.channel);
      expect(['APPROVE', 'REVIEW', 'BLOCK']).toContain(row!['rules_action']);
      compared += 1;
    }
    expect(compared).toBe(sent);
    // The history exercised the label-aware features: some vector saw a FRAUD label known at the time.
    const labelAware = FEATURE_NAMES.flatMap((name, i) => (name.endsWith('_fraud_labels_30d') ? [i] : []));
    expect(vectors.records.some((r) => labelAware.some((i) => (r.value.values[i] ?? 0) > 0))).toBe(true);
  }, 600_000);
});
