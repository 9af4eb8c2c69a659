import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FEATURE_SCHEMA_HASH } from '@argus/features';
import { getFromEveryProcess, LOCAL_SERVICES, localPanTokenKey, loadStackSettings, waitFor } from '@argus/testing';
import { runBackfill } from '../backfill/backfill.runner';
import type { DemoWorld } from '../demo/demo.world';
import { evaluateModel, promoteModel, trainModel, withRegistry } from './model.workflow';

export interface DemoChampionOptions {
  /** Serve any champion of the live feature schema (tests that need a model, not the demo's). */
  readonly anyChampion?: boolean;
}

/**
 * The demo's model: the champion the demo trained on this world before, when it still serves; otherwise one
 * trained on the world's history — backfill of the days before the cut, train, eval. The first model that
 * beats the rules becomes the champion; beside another champion, that champion is evaluated on the same
 * window and the new model replaces it only through the promotion gate. The days after the cut are never
 * seen by training. Then waits for the scoring service to serve the champion.
 */
export async function ensureDemoChampion(
  repoRoot: string,
  pgUrl: string,
  world: DemoWorld,
  print: (line: string) => void,
  options: DemoChampionOptions = {},
): Promise<string> {
  const marker = join(repoRoot, '.argus', 'demo', 'model.json');
  const champion = (await withRegistry(pgUrl, (registry) => registry.serving())).champion;
  const live = champion?.schemaHash === FEATURE_SCHEMA_HASH ? champion : null;
  let version: string;
  if (live !== null && (options.anyChampion === true || live.version === readDemoModel(marker))) {
    print(`champion ${live.version}, trained on the demo world (feature schema ${FEATURE_SCHEMA_HASH})`);
    version = live.version;
  } else {
    version = await trainDemoChampion(repoRoot, pgUrl, world, live?.version ?? null, champion !== null, print);
    if (version !== live?.version) writeFileSync(marker, `${JSON.stringify({ version }, null, 2)}\n`);
  }
  // Every scoring process (ARGUS_SERVICES_REPLICAS): each polls the registry on its own.
  const settings = loadStackSettings();
  await waitFor(
    async () => {
      const served = await getFromEveryProcess<{ champion: string | null }>(settings, 'scoring', '/v1/scoring/models');
      return served.every((models) => models.champion === version);
    },
    { timeoutMs: 30_000, intervalMs: 250, description: `every scoring process to serve ${version}` },
  );
  print(`the scoring service serves ${version}`);
  return version;
}

function readDemoModel(marker: string): string | null {
  if (!existsSync(marker)) return null;
  return (JSON.parse(readFileSync(marker, 'utf8')) as { version?: string }).version ?? null;
}

/** Trains, evaluates and (through the gates) promotes a model of the demo world; returns the champion then. */
async function trainDemoChampion(
  repoRoot: string,
  pgUrl: string,
  world: DemoWorld,
  liveChampion: string | null,
  championExists: boolean,
  print: (line: string) => void,
): Promise<string> {
  const { timeline } = world;
  const table = join(dirname(world.file), 'table.csv');
  print(`training a model on the world's history (before ${iso(timeline.cut)})…`);
  const backfill = await runBackfill({
    file: world.file,
    format: 'argus',
    until: timeline.cut,
    out: table,
    panTokenKey: localPanTokenKey(loadStackSettings()),
    panTokenKeyId: 'k1',
    progress: false,
    rulesFile: 'deploy/config/rules/default.yaml',
    policyFile: 'deploy/config/policy/default.yaml',
  });
  print(`backfill: ${backfill.written} rows × ${backfill.features} features in ${backfill.seconds} s`);
  const common = { repoRoot, pgUrl, table, labelDelayDays: timeline.labelDelayDays, actor: 'demo' };
  const windows = timeline.windows;
  const trained = await trainModel({ ...common, ...windows, model: 'lightgbm', seed: 42, register: true });
  print(
    `trained ${trained.version} in ${trained.seconds} s on ${windows.trainFrom} – ${windows.trainTo} ` +
      `(labels known ${timeline.labelDelayDays} days later), calibrated until ${windows.testFrom}`,
  );
  const evaluated = await evaluateModel({ ...common, ...windows, model: trained.version, promote: true });
  const auc = (headline: Record<string, unknown>) => Number(headline['auc']).toFixed(3);
  print(
    `evaluated on ${windows.testFrom} – ${windows.testTo}: AUC ${auc(evaluated.headline)} (rules alone: ` +
      `${auc((evaluated.headline['rules_baseline'] ?? {}) as Record<string, unknown>)}), report ${String(evaluated.headline['report'])}`,
  );
  if (evaluated.status === 'champion') return trained.version;
  if (evaluated.status !== 'shadow' || !championExists)
    throw new Error(`the demo model did not pass the gate against the rules: ${evaluated.gate?.checks.join('; ')}`);
  if (liveChampion === null) {
    // The champion reads another feature schema: the scoring service cannot serve it at all.
    await promoteModel(pgUrl, trained.version, 'champion', {
      reason: "demo: the champion's feature schema is not the live one",
      force: true,
      actor: 'demo',
    });
    return trained.version;
  }
  const incumbent = await evaluateModel({ ...common, ...windows, model: liveChampion, promote: false });
  print(`the champion ${liveChampion} on the same window: AUC ${auc(incumbent.headline)}`);
  try {
    await promoteModel(pgUrl, trained.version, 'champion', {
      reason: 'demo: trained on the demo world',
      force: false,
      actor: 'demo',
    });
    print(`${trained.version} passed the promotion gate against ${liveChampion} and replaces it`);
    return trained.version;
  } catch (error) {
    print(`${trained.version} stays a shadow: ${error instanceof Error ? error.message : String(error)}`);
    print(
      `the champion ${liveChampion} keeps deciding; \`npx argus models promote ${trained.version} --force\` overrides the gate`,
    );
    return liveChampion;
  }
}

const iso = (epoch: number): string => new Date(epoch).toISOString().replace('.000Z', 'Z');

/** What the scoring service did during the demo (its counters), in one line. */
export async function scoringSummary(): Promise<string> {
  const scoring = LOCAL_SERVICES.find((service) => service.name === 'scoring')!;
  const base = `http://127.0.0.1:${scoring.port}/v1/scoring`;
  const [models, stats] = (await Promise.all(
    [fetch(`${base}/models`), fetch(`${base}/stats`)].map(async (r) => (await r).json()),
  )) as [{ champion: string | null; shadows: string[] }, { scored: number; no_model: number; schema_mismatch: number }];
  return (
    `scoring service: ${stats.scored} transactions scored by ${models.champion ?? 'no model'} (top-5 TreeSHAP ` +
    `factors for scores of 50 and more) on transactions.scores, joined with the rules by the decision combiner ` +
    `(${stats.no_model} without a model, ${stats.schema_mismatch} of another schema)`
  );
}
