import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisFeatureState } from '@argus/feature-state';
import { buildStateEvent, computeFeatures, FEATURE_NAMES } from '@argus/features';
import { createLogger } from '@argus/logger';
import { createRedis, type RedisClient, scanKeys } from '@argus/redis';
import { loadStackSettings, localPanTokenKey, stackUrls } from '@argus/testing';
import { currencyExponent, PanTokeniser } from '@argus/transaction';
import { parse } from 'csv-parse/sync';
import { asIngested, historyLimits, runBackfill } from '../backfill/backfill.runner';
import { runSimulate } from '../commands/simulate.command';
import { historyTimeline } from '../history/history.timeline';
import { forgetNamespace, loadFeatureState } from './feature-state.loader';

const settings = loadStackSettings();
const DAY = 86_400_000;
const OPTIONS = { currencyExponent };

// `argus state load` must leave Redis exactly as the feature service would have: then the live days that
// follow see what a backfill over the whole history sees, value by value.
describe('argus state load against Redis', () => {
  let redis: RedisClient;
  const namespace = `loadtest-${randomUUID().slice(0, 8)}-`;
  const dir = mkdtempSync(join(tmpdir(), 'argus-state-load-'));
  const panTokenKey = localPanTokenKey(settings);
  const tokeniser = new PanTokeniser({ keyId: 'k1', key: Buffer.from(panTokenKey, 'utf8') });

  beforeAll(async () => {
    redis = createRedis(stackUrls(settings).redisUrl, createLogger({ service: 'int-state', level: 'warn' }), 'int');
    await redis.connect();
  });

  afterAll(() => redis?.disconnect());

  it('loads the history before the cut; the days after it then get the vectors backfill computes', async () => {
    const start = Math.floor((Date.now() - 6 * DAY) / 60_000) * 60_000;
    const cut = start + 5 * DAY;
    await runSimulate({
      out: dir,
      customers: 300,
      days: 6,
      seed: 12,
      fraudRate: 0.05,
      start: new Date(start).toISOString(),
    });
    const file = join(dir, 'transactions.csv');
    const store = new RedisFeatureState(redis);

    const summary = await loadFeatureState(store, {
      file,
      format: 'argus',
      namespace,
      until: cut,
      panTokenKey,
      panTokenKeyId: 'k1',
      progress: false,
    });
    expect(summary.rejected).toEqual([]);
    expect(summary.loaded).toBeGreaterThan(1_000);
    expect(summary.after_until).toBeGreaterThan(150);
    expect(summary.loaded + summary.after_until).toBe(summary.rows);
    expect(summary.fraud_labels_counted).toBeGreaterThan(0);
    // Batches of up to 500 events, cut short only where a label must be applied between two transactions.
    expect(summary.state_round_trips).toBeLessThan(summary.loaded / 50);

    // The live days, continued event by event against the loaded Redis state, as the feature service would.
    const live = new Map<string, number[]>();
    for await (const item of historyTimeline({
      file,
      format: 'argus',
      namespace,
      tokenise: (pan) => tokeniser.tokenise(pan),
    })) {
      if (item.kind === 'rejected') throw new Error(`line ${item.line}: ${item.reason}`);
      if (item.kind === 'label') {
        if (item.label.fraud && item.label.reportedAt >= cut)
          await store.applyFraudLabels([
            { transactionId: item.label.transactionId, reportedAt: item.label.reportedAt },
          ]);
        continue;
      }
      if (item.transaction.event_time < cut) continue;
      expect(item.transaction.card_id?.startsWith(namespace)).toBe(true);
      const transaction = asIngested(item.transaction, tokeniser, historyLimits());
      const [snapshots] = await store.apply([buildStateEvent(transaction, OPTIONS)]);
      live.set(transaction.transaction_id.slice(namespace.length), computeFeatures(transaction, snapshots!, OPTIONS));
    }
    expect(live.size).toBe(summary.after_until);

    // Offline: the whole history (no namespace) through backfill's in-memory state.
    const out = join(dir, 'table.csv');
    await runBackfill({
      file,
      format: 'argus',
      out,
      panTokenKey,
      panTokenKeyId: 'k1',
      progress: false,
      rulesFile: 'deploy/config/rules/default.yaml',
      policyFile: 'deploy/config/policy/default.yaml',
    });
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    let compared = 0;
    for (const row of rows) {
      const values = live.get(row['transaction_id']!);
      if (values === undefined) continue;
      const loaded = Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, values[i]]));
      const backfilled = Object.fromEntries(
        FEATURE_NAMES.map((name) => [name, row[name] === '' ? Number.NaN : Number(row[name])]),
      );
      expect({ transaction: row['transaction_id'], features: loaded }).toEqual({
        transaction: row['transaction_id'],
        features: backfilled,
      });
      compared += 1;
    }
    expect(compared).toBe(live.size);
  }, 180_000);

  it('forgets a namespaced population entirely, and nothing else', async () => {
    const other = `keep-${randomUUID().slice(0, 8)}`;
    await redis.set(`f:{card:${other}}:m`, '1');
    expect(await forgetNamespace(redis, namespace)).toBeGreaterThan(1_000);
    const left: string[] = [];
    for await (const keys of scanKeys(redis, `f:{*:${namespace}*`)) left.push(...keys);
    expect(left).toEqual([]);
    expect(await redis.get(`f:{card:${other}}:m`)).toBe('1');
    await redis.del(`f:{card:${other}}:m`);
  });
});
