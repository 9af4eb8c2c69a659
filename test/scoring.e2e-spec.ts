/**
 * Models end to end: `argus simulate` → backfill → train (LightGBM and XGBoost, registered) → eval; the
 * TypeScript serving path gives the probabilities the trainer's evaluation computed; the running scoring
 * service serves the champion with explanations, scores shadows beside it, refuses a model of another feature
 * schema while the champion stays in force, and swaps to a newly promoted champion mid-stream without
 * dropping or double-scoring a transaction.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FEATURE_SCHEMA_HASH } from '@argus/features';
import type { KafkaRuntime } from '@argus/kafka';
import { ModelRegistry, sha256Hex, type ModelRegistration } from '@argus/model-registry';
import { createPgPool, type PgPool } from '@argus/pg';
import { DEFAULT_SCORING_OPTIONS, ModelErrorCode, scoreBatch } from '@argus/scoring';
import {
  getFromEveryProcess,
  loadStackSettings,
  localPanTokenKey,
  seededRandom,
  stackUrls,
  startTestKafka,
  syntheticTransaction,
  TopicCollector,
  waitFor,
} from '@argus/testing';
import { parse } from 'csv-parse/sync';
import { runBackfill } from '../apps/cli/src/backfill/backfill.runner';
import { featureVectorOfRow } from '../apps/cli/src/backfill/training-table.row';
import { readModelBundle } from '../apps/cli/src/models/model.bundle';
import { evaluateModel, trainModel } from '../apps/cli/src/models/model.workflow';
import { loadModel } from '@argus/decisioning';

const exec = promisify(execFile);
const settings = loadStackSettings();
const urls = stackUrls(settings);
const runId = `scoring-${randomUUID().slice(0, 8)}`;
const actor = 'e2e';

interface CatalogStatus {
  champion: string | null;
  shadows: string[];
  refused: { version: string; reason: string }[];
}

/**
 * What every scoring process serves (ARGUS_SERVICES_REPLICAS: each replica polls the registry on its own, so
 * a promotion reaches them within a poll interval of each other, not at once).
 */
function servedModels(): Promise<CatalogStatus[]> {
  return getFromEveryProcess<CatalogStatus>(settings, 'scoring', '/v1/scoring/models');
}

const everyReplica = async (serves: (status: CatalogStatus) => boolean) => (await servedModels()).every(serves);

describe('models: train, evaluate, serve, shadow, swap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-scoring-'));
  const table = join(dir, 'table.csv');
  const windows = { trainFrom: '2026-01-01', trainTo: '2026-01-13', testFrom: '2026-01-16', testTo: '2026-01-22' };
  const train = (model: string) =>
    trainModel({
      ...windows,
      repoRoot: settings.repoRoot,
      pgUrl: urls.postgresUrl,
      table,
      labelDelayDays: 2,
      model,
      seed: 5,
      out: join(dir, model),
      register: true,
      actor,
    });
  let pool: PgPool;
  let registry: ModelRegistry;
  let kafka: KafkaRuntime;
  let scores: TopicCollector<'transactionsScores'>;
  let lightgbm: string;
  let xgboost: string;

  beforeAll(async () => {
    await exec(
      'node',
      [
        'bin/argus.js',
        'simulate',
        '--out',
        dir,
        '--customers',
        '800',
        '--days',
        '22',
        '--seed',
        '9',
        '--fraud-rate',
        '0.02',
      ],
      { cwd: settings.repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    await runBackfill({
      file: join(dir, 'transactions.csv'),
      format: 'argus',
      labelsFile: join(dir, 'labels.csv'),
      out: table,
      panTokenKey: localPanTokenKey(settings),
      panTokenKeyId: 'k1',
      progress: false,
      rulesFile: 'deploy/config/rules/default.yaml',
      policyFile: 'deploy/config/policy/default.yaml',
    });
    pool = createPgPool({ url: urls.postgresUrl, applicationName: 'e2e-scoring', max: 2 });
    registry = new ModelRegistry(pool);
    kafka = await startTestKafka(settings, 'e2e-scoring', runId, ['transactions', 'transactionsScores']);
    scores = new TopicCollector(kafka.kafka, kafka.serde, 'transactionsScores', (s) =>
      s.transaction_id.startsWith(runId),
    );
    await scores.start();
  }, 180_000);

  afterAll(async () => {
    await scores?.stop();
    await kafka?.stop();
    await pool?.end();
  });

  it('trains and registers LightGBM and XGBoost candidates with their windows and artefacts', async () => {
    const [a, b] = [await train('lightgbm'), await train('xgboost')];
    lightgbm = a.version;
    xgboost = b.version;
    for (const result of [a, b]) {
      expect(result.status).toBe('candidate');
      expect(result.schema_hash).toBe(FEATURE_SCHEMA_HASH);
      const record = await registry.get(result.version);
      expect(Object.keys(record.artefacts).sort()).toEqual([
        'anomaly.onnx',
        'metadata.json',
        'model.onnx',
        'trees.json',
      ]);
      expect(record.windows.labelsKnownBy).toBe('2026-01-13T00:00:00.000Z');
      expect(record.windows.trainTo).toBe('2026-01-11T00:00:00.000Z');
      expect(record.windows.testFrom).toBe('2026-01-16T00:00:00.000Z');
    }
  }, 240_000);

  it('serves, in TypeScript, exactly the probabilities the evaluation computed', async () => {
    const scoresOut = join(dir, 'scores.csv');
    const result = await evaluateModel({
      repoRoot: settings.repoRoot,
      pgUrl: urls.postgresUrl,
      model: lightgbm,
      table,
      testFrom: windows.testFrom,
      testTo: windows.testTo,
      labelDelayDays: 2,
      out: join(dir, 'report'),
      scoresOut,
      promote: false,
      actor,
    });
    expect(typeof result.headline['auc']).toBe('number');
    expect((await registry.get(lightgbm)).evaluation).toMatchObject({ auc: result.headline['auc'] });
    const expected = new Map(
      (parse(readFileSync(scoresOut), { columns: true }) as Record<string, string>[]).map((r) => [
        r['transaction_id']!,
        Number(r['score']),
      ]),
    );
    const rows = (parse(readFileSync(table), { columns: true }) as Record<string, string>[]).filter((row) =>
      expected.has(row['transaction_id']!),
    );
    expect(rows.length).toBe(expected.size);
    expect(rows.length).toBeGreaterThan(300);

    const model = await loadModel(registry, await registry.get(lightgbm), FEATURE_SCHEMA_HASH);
    try {
      const batch = await scoreBatch(rows.map(featureVectorOfRow), model, [], DEFAULT_SCORING_OPTIONS);
      expect(batch.unscored).toEqual([]);
      let worst = 0;
      for (const score of batch.scores) {
        worst = Math.max(worst, Math.abs(score.probability - expected.get(score.transaction_id)!));
        expect(score.contributions.length).toBeLessThanOrEqual(5);
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
    } finally {
      await model.release();
    }
  }, 180_000);

  it('refuses, with a clear error, a model trained on another feature schema', async () => {
    const record = await registry.get(lightgbm);
    await expect(loadModel(registry, record, 'f00dfeedf00dfeed')).rejects.toMatchObject({
      code: ModelErrorCode.SCHEMA_MISMATCH,
      message: expect.stringContaining(
        `trained on feature schema ${FEATURE_SCHEMA_HASH} but the live features are f00dfeedf00dfeed`,
      ),
    });
  });

  it('serves the champion with explanations, scores a shadow beside it, and refuses a mismatched champion', async () => {
    await registry.setStatus(lightgbm, 'champion', { reason: 'e2e', actor });
    await registry.setStatus(xgboost, 'shadow', { reason: 'e2e', actor });
    await waitFor(() => everyReplica((served) => served.champion === lightgbm && served.shadows.includes(xgboost)), {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'every scoring process to load the champion and shadow',
    });

    const random = seededRandom(3);
    const sent = Array.from({ length: 40 }, (_, i) => syntheticTransaction(i, random, { runId }));
    await kafka.producer.send(
      'transactions',
      sent.map((t) => ({ key: t.card_id ?? t.customer_id, value: t })),
    );
    await waitFor(() => scores.records.length >= sent.length, {
      timeoutMs: 60_000,
      description: 'a score for every transaction',
    });
    for (const { value: score } of scores.records) {
      expect(score.model_version).toBe(lightgbm);
      expect(score.score).toBeGreaterThanOrEqual(0);
      expect(score.score).toBeLessThanOrEqual(100);
      expect(score.contributions).toHaveLength(5);
      expect(score.shadow.map((s) => s.model_version)).toEqual([xgboost]);
    }

    // A champion of another feature schema: refused, and the current champion stays in force.
    const bundle = readModelBundle(join(dir, 'lightgbm'));
    const metadata = { ...(bundle.registration.metadata as Record<string, unknown>), schema_hash: '0000000000000000' };
    const metadataBytes = Buffer.from(JSON.stringify(metadata));
    const mismatched: ModelRegistration = {
      ...bundle.registration,
      version: `${runId}-mismatch`,
      schemaHash: '0000000000000000',
      metadata,
      artefacts: bundle.registration.artefacts.map((a) =>
        a.name === 'metadata.json' ? { ...a, bytes: metadataBytes, sha256: sha256Hex(metadataBytes) } : a,
      ),
    };
    await registry.register(mismatched, { reason: 'e2e', actor });
    await registry.setStatus(mismatched.version, 'champion', { reason: 'e2e: must be refused', actor });
    await waitFor(() => everyReplica((served) => served.refused.some((r) => r.version === mismatched.version)), {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'every scoring process to refuse the mismatched champion',
    });
    for (const served of await servedModels()) {
      expect(served.champion).toBe(lightgbm);
      expect(served.refused.find((r) => r.version === mismatched.version)!.reason).toContain(
        'trained on feature schema 0000000000000000',
      );
    }
    await registry.setStatus(lightgbm, 'champion', { reason: 'e2e: roll back', actor });
  }, 120_000);

  it('swaps to a newly promoted champion mid-stream without dropping or double-scoring a transaction', async () => {
    const before = scores.records.length;
    const random = seededRandom(4);
    const total = 600;
    let promoted = false;
    for (let i = 0; i < total; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) => syntheticTransaction(1_000 + i + j, random, { runId }));
      await kafka.producer.send(
        'transactions',
        batch.map((t) => ({ key: t.card_id ?? t.customer_id, value: t })),
      );
      if (!promoted && i >= total / 3) {
        await registry.setStatus(xgboost, 'champion', { reason: 'e2e: swap mid-stream', actor });
        promoted = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Once every scoring process serves the new champion, what follows is scored by it alone.
    await waitFor(() => everyReplica((served) => served.champion === xgboost), {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'every scoring process to serve the promoted champion',
    });
    const tail = Array.from({ length: 20 }, (_, j) => syntheticTransaction(2_000 + j, random, { runId }));
    await kafka.producer.send(
      'transactions',
      tail.map((t) => ({ key: t.card_id ?? t.customer_id, value: t })),
    );
    await waitFor(() => scores.records.length >= before + total + tail.length, {
      timeoutMs: 90_000,
      description: 'a score for every transaction of the stream',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const streamed = scores.records.slice(before).map((r) => r.value);
    const ids = new Set(streamed.map((s) => s.transaction_id));
    expect(ids.size).toBe(total + tail.length);
    expect(streamed).toHaveLength(total + tail.length);
    const versions = new Set(streamed.map((s) => s.model_version));
    expect(versions).toEqual(new Set([lightgbm, xgboost]));
    const tailIds = new Set(tail.map((t) => t.transaction_id));
    const tailVersions = streamed.filter((s) => tailIds.has(s.transaction_id)).map((s) => s.model_version);
    expect(tailVersions).toEqual(tail.map(() => xgboost));
  }, 180_000);
});
