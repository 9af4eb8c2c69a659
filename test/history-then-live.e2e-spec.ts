/**
 * The demo's path, on the running services: a simulated world's history loaded into the feature state
 * (`argus state load --until`), then the days after it replayed through Kafka with their own timestamps
 * (`argus replay --from`). Only the following days are decided — each exactly once —, their cards arrive with
 * their history, labels are sent when they became known (not those still in the future), and the decisions
 * are counted against the world's ground truth.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES } from '@argus/features';
import type { KafkaRuntime } from '@argus/kafka';
import { loadStackSettings, startTestKafka, TopicCollector, waitFor } from '@argus/testing';
import { parse } from 'csv-parse/sync';
import { runReplay } from '../apps/cli/src/commands/replay.command';
import { runSimulate } from '../apps/cli/src/commands/simulate.command';
import { runStateForget, runStateLoad } from '../apps/cli/src/commands/state.command';

const settings = loadStackSettings();
const DAY = 86_400_000;
const namespace = `e2e-live-${randomUUID().slice(0, 8)}-`;

describe('a history in the feature state, then the following days live', () => {
  let kafka: KafkaRuntime;
  let decisions: TopicCollector<'decisions'>;
  let vectors: TopicCollector<'transactionsFeatures'>;
  const dir = mkdtempSync(join(tmpdir(), 'argus-live-'));

  beforeAll(async () => {
    kafka = await startTestKafka(settings, 'e2e-live', namespace, ['decisions', 'transactionsFeatures']);
    decisions = new TopicCollector(kafka.kafka, kafka.serde, 'decisions', (d) =>
      d.transaction_id.startsWith(namespace),
    );
    vectors = new TopicCollector(kafka.kafka, kafka.serde, 'transactionsFeatures', (v) =>
      v.transaction.transaction_id.startsWith(namespace),
    );
    await Promise.all([decisions.start(), vectors.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([decisions?.stop(), vectors?.stop()]);
    await kafka?.stop();
    await runStateForget(namespace);
  });

  it('decides only the following days, once each, with their history known and the truth counted', async () => {
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start = end - 4 * DAY;
    const cut = end - DAY;
    await runSimulate({
      out: dir,
      customers: 600,
      days: 4,
      seed: 13,
      // Enough fraud episodes that some fall in the last day whatever the hour the world starts at.
      fraudRate: 0.08,
      start: new Date(start).toISOString(),
    });
    const file = join(dir, 'transactions.csv');
    const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    const following = rows.filter((row) => Date.parse(row['event_time']!) >= cut);
    const history = rows.length - following.length;

    const loaded = await runStateLoad({ file, format: 'argus', namespace, until: cut, progress: false });
    expect(loaded).toMatchObject({ loaded: history, after_until: following.length, rejected: [] });

    const { summary, tracker } = await runReplay({
      file,
      format: 'argus',
      rate: 100,
      timestamps: 'original',
      from: cut,
      namespace,
      everyFraudLabelled: true,
      track: true,
      progress: false,
    });
    expect(summary).toMatchObject({ skipped_before_from: history, sent: following.length, rejected: [] });
    // Labels of the history reported after the cut are sent when they became known; later ones are not yet.
    expect(summary.labels_sent).toBeGreaterThan(0);
    expect(summary.labels_not_sent).toBeGreaterThan(0);
    expect(tracker!.outstanding).toBe(0);
    expect(tracker!.decided).toBe(following.length);

    // Exactly one decision per transaction of the following days, and none for the history.
    await waitFor(() => decisions.records.length >= following.length, {
      timeoutMs: 30_000,
      description: 'every decision on the decisions topic',
    });
    const decided = decisions.records.map((r) => r.value.transaction_id.slice(namespace.length));
    expect(new Set(decided).size).toBe(decided.length);
    expect(new Set(decided)).toEqual(new Set(following.map((row) => row['transaction_id'])));

    // The cards arrive with their history: the feature service has seen most of them days before.
    const firstSeen = FEATURE_NAMES.indexOf('card_days_since_first_seen');
    const known = vectors.records.filter((r) => (r.value.values[firstSeen] ?? 0) >= 1).length;
    expect(known / vectors.records.length).toBeGreaterThan(0.7);

    // Counted against the world's ground truth: every fraud of the following days, every good customer.
    const detection = tracker!.detection.summary();
    const frauds = following.filter((row) => row['is_fraud'] === '1').length;
    expect(frauds).toBeGreaterThan(5);
    expect(detection.known).toBe(following.length);
    expect(detection.fraud.transactions).toBe(frauds);
    expect(detection.legitimate.transactions).toBe(following.length - frauds);
  }, 240_000);
});
