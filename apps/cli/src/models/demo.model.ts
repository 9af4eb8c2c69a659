import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_SCHEMA_HASH } from '@argus/features';
import { LOCAL_SERVICES, localPanTokenKey, loadStackSettings, waitFor } from '@argus/testing';
import { runBackfill } from '../backfill/backfill.runner';
import { runSimulate } from '../commands/simulate.command';
import { evaluateModel, trainModel, withRegistry } from './model.workflow';

/**
 * The demo's model: the registry's champion when it matches the live feature schema; otherwise one is trained
 * on a small simulated history (simulate → backfill → train → eval, which promotes the first model that
 * beats the rules). Then waits for the scoring service to serve it.
 */
export async function ensureDemoChampion(
  repoRoot: string,
  pgUrl: string,
  print: (line: string) => void,
): Promise<string> {
  const existing = await withRegistry(pgUrl, (registry) => registry.serving());
  let version = existing.champion?.schemaHash === FEATURE_SCHEMA_HASH ? existing.champion.version : null;
  if (version !== null) {
    print(`champion ${version} (feature schema ${FEATURE_SCHEMA_HASH})`);
  } else {
    const dir = join(repoRoot, '.argus', 'demo-model');
    mkdirSync(dir, { recursive: true });
    print('no champion for this feature schema: simulating 30 days of 3 000 customers…');
    await runSimulate({ out: dir, customers: 3_000, days: 30, seed: 1, start: '2026-01-01T00:00:00Z' });
    const table = join(dir, 'table.csv');
    const backfill = await runBackfill({
      file: join(dir, 'transactions.csv'),
      format: 'argus',
      labelsFile: join(dir, 'labels.csv'),
      out: table,
      panTokenKey: localPanTokenKey(loadStackSettings()),
      panTokenKeyId: 'k1',
      progress: false,
      rulesFile: 'deploy/config/rules/default.yaml',
      policyFile: 'deploy/config/policy/default.yaml',
    });
    print(`backfill: ${backfill.written} rows × ${backfill.features} features in ${backfill.seconds} s`);
    const windows = { trainFrom: '2026-01-01', trainTo: '2026-01-20', testFrom: '2026-01-24', testTo: '2026-01-31' };
    const common = { repoRoot, pgUrl, table, labelDelayDays: 3, actor: 'demo' };
    const trained = await trainModel({ ...common, ...windows, model: 'lightgbm', seed: 42, register: true });
    print(`trained ${trained.version} in ${trained.seconds} s`);
    const evaluated = await evaluateModel({ ...common, ...windows, model: trained.version, promote: true });
    print(
      `evaluated: AUC ${Number(evaluated.headline['auc']).toFixed(3)}, report ${String(evaluated.headline['report'])}`,
    );
    if (evaluated.status !== 'champion')
      throw new Error(`the demo model did not pass the gate: ${evaluated.gate?.checks.join('; ')}`);
    version = trained.version;
  }
  const scoring = LOCAL_SERVICES.find((service) => service.name === 'scoring')!;
  const url = `http://127.0.0.1:${scoring.port}/v1/scoring/models`;
  await waitFor(async () => ((await (await fetch(url)).json()) as { champion: string | null }).champion === version, {
    timeoutMs: 30_000,
    intervalMs: 250,
    description: `the scoring service to serve ${version}`,
  });
  print(`the scoring service serves ${version}`);
  return version;
}

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
