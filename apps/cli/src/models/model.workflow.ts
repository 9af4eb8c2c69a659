import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ModelRegistry, type ModelRecord, type ModelStatus } from '@argus/model-registry';
import { createPgPool } from '@argus/pg';
import { promotionGate, type GateResult, type ModelEvaluation } from '@argus/scoring';
import { BUNDLE_FILES, readModelBundle } from './model.bundle';
import { runTrainer } from './trainer.process';

/** The registry the CLI works on, migrated; closed after `fn`. */
export async function withRegistry<T>(pgUrl: string, fn: (registry: ModelRegistry) => Promise<T>): Promise<T> {
  const pool = createPgPool({ url: pgUrl, applicationName: 'argus-cli-models', max: 2 });
  try {
    const registry = new ModelRegistry(pool);
    await registry.migrate();
    return await fn(registry);
  } finally {
    await pool.end();
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A date (midnight UTC) or an ISO time, as the trainer reads it. */
export function windowBound(name: string, value: string): string {
  if (!DAY.test(value) && Number.isNaN(Date.parse(value))) throw new Error(`${name}: ${value} is not a date`);
  return value;
}

function epoch(value: string): number {
  return Date.parse(DAY.test(value) ? `${value}T00:00:00Z` : value);
}

export interface TrainOptions {
  readonly repoRoot: string;
  readonly pgUrl: string;
  readonly table: string;
  readonly trainFrom: string;
  readonly trainTo: string;
  readonly testFrom: string;
  readonly testTo: string;
  readonly labelDelayDays: number;
  readonly model: string;
  readonly seed: number;
  readonly out?: string;
  readonly register: boolean;
  readonly actor: string;
}

export interface TrainResult {
  readonly version: string;
  readonly model_dir: string;
  readonly registered: boolean;
  readonly status: ModelStatus | null;
  readonly schema_hash: string;
  readonly metrics: unknown;
  readonly seconds: number;
}

/**
 * `argus train`: the trainer fits the model on [train-from, train-to − delay) with the labels known at
 * train-to, calibrates it on [train-to, test-from) and measures it on [test-from, test-to); the model
 * directory is then registered as a candidate.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  if (!(epoch(options.testFrom) > epoch(options.trainTo))) {
    throw new Error(
      `--test-from ${options.testFrom} must be after --train-to ${options.trainTo}: the days between them ` +
        'calibrate the probabilities (never the training days, never the test days)',
    );
  }
  const started = performance.now();
  const out = resolve(
    options.out ??
      join(options.repoRoot, '.argus', 'models', `${options.model}-${new Date().toISOString().replace(/[:.]/g, '')}`),
  );
  mkdirSync(out, { recursive: true });
  await runTrainer(options.repoRoot, [
    'train',
    '--table',
    resolve(options.table),
    '--out',
    out,
    '--train-from',
    options.trainFrom,
    '--train-to',
    options.trainTo,
    '--calibration-to',
    options.testFrom,
    '--test-to',
    options.testTo,
    '--label-delay-days',
    String(options.labelDelayDays),
    '--model',
    options.model,
    '--seed',
    String(options.seed),
  ]);
  const { metadata, registration } = readModelBundle(out, resolve(options.table));
  let record: ModelRecord | null = null;
  if (options.register) {
    record = await withRegistry(options.pgUrl, (registry) =>
      registry.register(registration, { reason: `trained from ${registration.source}`, actor: options.actor }),
    );
  }
  return {
    version: registration.version,
    model_dir: out,
    registered: record !== null,
    status: record?.status ?? null,
    schema_hash: metadata.schemaHash,
    metrics: metadata.metrics,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

export interface EvalOptions {
  readonly repoRoot: string;
  readonly pgUrl: string;
  /** A registered version, or a model directory; default: the newest registered version. */
  readonly model?: string;
  readonly table: string;
  readonly testFrom: string;
  readonly testTo: string;
  readonly labelDelayDays: number;
  readonly out?: string;
  readonly scoresOut?: string;
  readonly operatingFpr?: number;
  /** Apply the promotion gate to a candidate (first champion, or shadow beside a champion). */
  readonly promote: boolean;
  readonly actor: string;
}

export interface EvalResult {
  /** The trainer's headline: auc, average_precision, card_precision_at_100, recall_at_fpr, rules_baseline, report. */
  readonly headline: Record<string, unknown>;
  readonly version: string | null;
  readonly status: ModelStatus | null;
  /** The promotion gate against the rules baseline (applied to a candidate). */
  readonly gate: GateResult | null;
  /** The gate against the champion's evaluation, for information (promotion is `argus models promote`). */
  readonly versusChampion: GateResult | null;
}

function asEvaluation(headline: Record<string, unknown>, testFrom: string, testTo: string): ModelEvaluation {
  return { ...(headline as unknown as ModelEvaluation), test_from: testFrom, test_to: testTo };
}

/** Writes a registered version's artefacts to a temporary model directory for the trainer. */
async function materialise(registry: ModelRegistry, record: ModelRecord): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `argus-model-${record.version}-`));
  for (const name of BUNDLE_FILES) {
    if (record.artefacts[name] === undefined) continue;
    writeFileSync(join(dir, name), await registry.artefact(record.version, name));
  }
  return dir;
}

/**
 * `argus eval`: the trainer's report (HTML + JSON) on a test window, with the rules-only baseline on the
 * same rows. For a registered model the headline is recorded in the registry, and a candidate that passes
 * the gate becomes the champion when there is none, else a shadow beside the champion.
 */
export async function evaluateModel(options: EvalOptions): Promise<EvalResult> {
  return withRegistry(options.pgUrl, async (registry) => {
    let record: ModelRecord | null = null;
    let modelDir: string;
    let temporary: string | null = null;
    if (options.model !== undefined && /[/\\]/.test(options.model)) {
      modelDir = resolve(options.model);
    } else {
      if (options.model !== undefined) record = await registry.get(options.model);
      else {
        record = (await registry.list())[0] ?? null;
        if (record === null) throw new Error('no model in the registry: run argus train first, or pass --model DIR');
      }
      modelDir = temporary = await materialise(registry, record);
    }
    const label = record?.version ?? 'model';
    const out = resolve(
      options.out ?? join(options.repoRoot, '.argus', 'reports', `${label}-${options.testFrom}-${options.testTo}`),
    );
    try {
      const headline = (await runTrainer(options.repoRoot, [
        'eval',
        '--model',
        modelDir,
        '--table',
        resolve(options.table),
        '--test-from',
        options.testFrom,
        '--test-to',
        options.testTo,
        '--label-delay-days',
        String(options.labelDelayDays),
        '--out',
        out,
        ...(options.scoresOut === undefined ? [] : ['--scores-out', resolve(options.scoresOut)]),
        ...(options.operatingFpr === undefined ? [] : ['--operating-fpr', String(options.operatingFpr)]),
      ])) as Record<string, unknown>;
      if (record === null) return { headline, version: null, status: null, gate: null, versusChampion: null };

      const evaluation = asEvaluation(headline, options.testFrom, options.testTo);
      await registry.recordEvaluation(record.version, evaluation);
      if (!options.promote || record.status !== 'candidate') {
        return { headline, version: record.version, status: record.status, gate: null, versusChampion: null };
      }
      const serving = await registry.serving();
      const gate = promotionGate(evaluation, null);
      const champion = serving.champion;
      // The first model that beats the rules becomes the champion; beside a champion, a candidate that beats
      // the rules is shadowed on live traffic, and becoming champion is `argus models promote` (gated).
      const to: ModelStatus = champion === null ? 'champion' : 'shadow';
      const reason = champion === null ? 'first champion' : `shadow beside ${champion.version}`;
      const status = gate.pass
        ? (
            await registry.setStatus(record.version, to, {
              reason: `${reason}: ${gate.checks.join('; ')}`,
              actor: options.actor,
            })
          ).status
        : record.status;
      const championEvaluation = (champion?.evaluation ?? null) as ModelEvaluation | null;
      const versusChampion = championEvaluation === null ? null : promotionGate(evaluation, championEvaluation);
      return { headline, version: record.version, status, gate, versusChampion };
    } finally {
      if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
    }
  });
}

/**
 * `argus models promote`: a champion must pass the gate against the current champion on the same window
 * (both evaluated with argus eval), unless forced; the reason and the checks go to the status trail.
 */
export async function promoteModel(
  pgUrl: string,
  version: string,
  to: ModelStatus,
  options: { reason: string; force: boolean; actor: string },
): Promise<{ record: ModelRecord; gate: GateResult | null }> {
  return withRegistry(pgUrl, async (registry) => {
    const record = await registry.get(version);
    let gate: GateResult | null = null;
    if (to === 'champion') {
      const champion = (await registry.serving()).champion;
      const mine = record.evaluation as ModelEvaluation | null;
      if (mine === null && !options.force) {
        throw new Error(`model ${version} has no evaluation: run argus eval --model ${version} (or --force)`);
      }
      if (mine !== null) {
        gate = promotionGate(mine, (champion?.evaluation ?? null) as ModelEvaluation | null);
        if (!gate.pass && !options.force) {
          throw new Error(`model ${version} does not pass the promotion gate:\n  ${gate.checks.join('\n  ')}`);
        }
      }
    }
    const checks = gate === null ? '' : ` [${gate.checks.join('; ')}]`;
    const reason = `${options.reason}${options.force ? ' (forced)' : ''}${checks}`;
    return { record: await registry.setStatus(version, to, { reason, actor: options.actor }), gate };
  });
}
