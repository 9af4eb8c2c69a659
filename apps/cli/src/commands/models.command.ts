import { userInfo } from 'node:os';
import type { ModelStatus } from '@argus/model-registry';
import { loadStackSettings } from '@argus/testing';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { evaluateModel, promoteModel, trainModel, windowBound, withRegistry } from '../models/model.workflow';
import { loadAuditCliSettings } from './audit.command';

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number ≥ 0');
  return n;
}

function date(name: string) {
  return (value: string) => {
    try {
      return windowBound(name, value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

const actor = () => process.env['ARGUS_ACTOR'] ?? userInfo().username;
const pgUrl = () => loadAuditCliSettings().pgUrl;
const json = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};
const num = (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '—');

interface WindowOptions {
  table: string;
  testFrom: string;
  testTo: string;
  labelDelayDays: number;
  json?: boolean;
}

/** `argus train`, `argus eval` and `argus models …`: the model lifecycle from the command line. */
export function registerModelCommands(program: Command): void {
  program
    .command('train')
    .description('Train a model on a backfill table (time split with a label delay) and register it as a candidate')
    .requiredOption('--table <csv>', 'training table from argus backfill (with its .schema.json)')
    .requiredOption('--train-from <date>', 'first day of training', date('--train-from'))
    .requiredOption(
      '--train-to <date>',
      'training ends here, minus the label delay; labels known by then',
      date('--train-to'),
    )
    .requiredOption('--test-from <date>', 'first test day; [train-to, test-from) calibrates', date('--test-from'))
    .requiredOption('--test-to <date>', 'end of the test window (exclusive)', date('--test-to'))
    .requiredOption(
      '--label-delay-days <n>',
      'days of training skipped before --train-to (labels not yet known)',
      nonNegative,
    )
    .addOption(new Option('--model <kind>', 'classifier').choices(['lightgbm', 'xgboost']).default('lightgbm'))
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), 42)
    .option('--out <dir>', 'model directory (default .argus/models/<kind>-<time>)')
    .option('--no-register', 'do not register the model')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        options: WindowOptions & {
          trainFrom: string;
          trainTo: string;
          model: string;
          seed: number;
          out?: string;
          register: boolean;
        },
      ) => {
        const result = await trainModel({
          ...options,
          repoRoot: loadStackSettings().repoRoot,
          pgUrl: pgUrl(),
          actor: actor(),
        });
        if (options.json) return json(result);
        const calibrated = (result.metrics as { calibrated?: Record<string, unknown> }).calibrated ?? {};
        process.stdout.write(
          `model ${result.version} → ${result.model_dir} (${result.seconds} s)\n` +
            `  ${result.registered ? `registered as ${result.status}` : 'not registered'}; feature schema ${result.schema_hash}\n` +
            `  test AUC ${num(calibrated['auc'])}, average precision ${num(calibrated['average_precision'])}\n` +
            `  next: argus eval --model ${result.version} --table ${options.table} --test-from ${options.testFrom} --test-to ${options.testTo} --label-delay-days ${options.labelDelayDays}\n`,
        );
      },
    );

  program
    .command('eval')
    .description('Evaluation report (HTML + JSON) of a model on a test window, against the rules-only baseline')
    .option('--model <version|dir>', 'registered version or model directory (default: the newest registered)')
    .requiredOption('--table <csv>', 'table from argus backfill holding the test window')
    .requiredOption('--test-from <date>', 'first test day', date('--test-from'))
    .requiredOption('--test-to <date>', 'end of the test window (exclusive)', date('--test-to'))
    .requiredOption('--label-delay-days <n>', 'the label delay the model was trained with (leakage check)', nonNegative)
    .option('--out <dir>', 'report folder (default .argus/reports/<version>-<window>)')
    .option('--scores-out <csv>', 'write transaction_id,score,label for every test transaction')
    .option('--operating-fpr <rate>', 'false-positive rate of the per-scenario operating point', Number)
    .option('--no-promote', 'record the evaluation only (no first-champion or shadow promotion)')
    .option('--json', 'print the headline metrics as JSON')
    .action(
      async (
        options: WindowOptions & {
          model?: string;
          out?: string;
          scoresOut?: string;
          operatingFpr?: number;
          promote: boolean;
        },
      ) => {
        const result = await evaluateModel({
          ...options,
          repoRoot: loadStackSettings().repoRoot,
          pgUrl: pgUrl(),
          actor: actor(),
        });
        if (options.json) {
          return json({
            ...result.headline,
            version: result.version,
            status: result.status,
            gate: result.gate,
            versus_champion: result.versusChampion,
          });
        }
        const h = result.headline as Record<string, unknown> & { rules_baseline?: Record<string, unknown> };
        const recall = (x: Record<string, unknown> | undefined) =>
          (x?.['recall_at_fpr'] as Record<string, unknown> | undefined)?.['0.001'];
        const rules = h.rules_baseline;
        process.stdout.write(
          [
            `metric                   model     rules`,
            `AUC                      ${num(h['auc'])}    ${num(rules?.['auc'])}`,
            `average precision        ${num(h['average_precision'])}    ${num(rules?.['average_precision'])}`,
            `recall @ 0.1% FPR        ${num(recall(h))}    ${num(recall(rules))}`,
            `card precision@100/day   ${num(h['card_precision_at_100'])}    ${num(rules?.['card_precision_at_100'])}`,
            `report: ${String(h['report'])}`,
            ...(result.version === null ? [] : [`model ${result.version}: ${result.status}`]),
            ...(result.gate?.checks.map((check) => `  gate: ${check}`) ?? []),
            ...(result.versusChampion?.checks.slice(4).map((check) => `  vs champion: ${check}`) ?? []),
            '',
          ].join('\n'),
        );
      },
    );

  const models = program.command('models').description('The model registry: list, show, promote, retire');
  models
    .command('list')
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      const records = await withRegistry(pgUrl(), (registry) => registry.list());
      if (options.json) return json(records.map(({ metadata: _metadata, ...rest }) => rest));
      process.stdout.write(
        `${'version'.padEnd(40)} ${'status'.padEnd(10)} ${'schema'.padEnd(17)} test window                 eval AUC\n`,
      );
      for (const r of records) {
        const evaluation = r.evaluation as { auc?: number; test_from?: string; test_to?: string } | null;
        process.stdout.write(
          `${r.version.padEnd(40)} ${r.status.padEnd(10)} ${r.schemaHash.padEnd(17)} ${(evaluation ? `${evaluation.test_from} → ${evaluation.test_to}` : '—').padEnd(27)} ${num(evaluation?.auc)}\n`,
        );
      }
    });
  models
    .command('show <version>')
    .description('A version: windows, metrics, evaluation, artefact hashes and status trail (JSON)')
    .action(async (version: string) => {
      const shown = await withRegistry(pgUrl(), async (registry) => ({
        ...(await registry.get(version)),
        events: await registry.events(version),
      }));
      json({ ...shown, metadata: undefined });
    });
  models
    .command('promote <version>')
    .description('Make a version the champion (gated against the current one) or a shadow')
    .addOption(new Option('--to <status>', 'new status').choices(['champion', 'shadow']).default('champion'))
    .option('--reason <text>', 'why (kept in the status trail)', 'promoted from the command line')
    .option('--force', 'promote even if the gate fails or the model was not evaluated')
    .action(async (version: string, options: { to: ModelStatus; reason: string; force?: boolean }) => {
      const { record, gate } = await promoteModel(pgUrl(), version, options.to, {
        reason: options.reason,
        force: options.force === true,
        actor: actor(),
      });
      process.stdout.write(
        `model ${record.version}: ${record.status}\n${gate?.checks.map((c) => `  gate: ${c}\n`).join('') ?? ''}`,
      );
    });
  models
    .command('retire <version>')
    .description('Stop serving a shadow or candidate (a champion is replaced by promoting another)')
    .option('--reason <text>', 'why (kept in the status trail)', 'retired from the command line')
    .action(async (version: string, options: { reason: string }) => {
      const record = await withRegistry(pgUrl(), (registry) =>
        registry.setStatus(version, 'retired', { reason: options.reason, actor: actor() }),
      );
      process.stdout.write(`model ${record.version}: ${record.status}\n`);
    });
}
