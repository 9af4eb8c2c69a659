import { localPanTokenKey, loadStackSettings } from '@argus/testing';
import { InvalidArgumentError, type Command } from 'commander';
import { runBackfill, type BackfillSummary } from '../backfill/backfill.runner';

interface BackfillCommandOptions {
  file: string;
  format: string;
  labels?: string;
  out: string;
  limit?: number;
  maxAmountMajor?: number;
  progress?: boolean;
  json?: boolean;
  rules: string;
  policy: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function formatBackfill(summary: BackfillSummary): string {
  const lines = [
    `backfill: ${summary.written} rows × ${summary.features} features in ${summary.seconds} s (${summary.rows_per_second} rows/s)`,
    `  labelled ${summary.labelled_rows} (fraud ${summary.fraud_rows}); FRAUD labels applied when known: ${summary.fraud_labels_applied}`,
    `  rejected ${summary.rejected.length}; schema ${summary.schema_hash} → ${summary.schema_file}`,
    `  rules-only baseline: rules ${summary.rule_set_version}, policy ${summary.policy_version}`,
  ];
  const scenarios = Object.entries(summary.scenarios).sort((a, b) => b[1].rows - a[1].rows);
  if (scenarios.length > 1 || scenarios[0]?.[0] !== '(none)') {
    lines.push('  scenario                       rows      fraud');
    for (const [name, { rows, fraud }] of scenarios) {
      lines.push(`  ${name.padEnd(28)} ${String(rows).padStart(9)} ${String(fraud).padStart(9)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `argus backfill`: a history (and its labels) → a training table, through the live feature code. */
export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('Compute the feature vector of every transaction of a history, labels applied when they became known')
    .requiredOption('--file <path>', 'transactions CSV')
    .option('--format <name|mapping.json>', 'argus, sparkov, paysim, or a mapping JSON file', 'argus')
    .option(
      '--labels <path>',
      'labels CSV (transaction_id,label,reported_at[,source,card_id,event_time]); default: labels in the file',
    )
    .requiredOption('--out <path>', 'training table (CSV); the feature schema goes to <path>.schema.json')
    .option('--limit <n>', 'stop after this many rows', positiveInt)
    .option(
      '--max-amount-major <n>',
      "largest accepted amount (major units), as ingestion's ARGUS_MAX_AMOUNT_MAJOR; larger rows are rejected",
      positiveInt,
      Number(process.env['ARGUS_MAX_AMOUNT_MAJOR'] ?? 1_000_000),
    )
    .option(
      '--rules <path>',
      'rule set for the rules-only baseline column',
      process.env['ARGUS_RULES_FILE'] ?? 'deploy/config/rules/default.yaml',
    )
    .option(
      '--policy <path>',
      'decision policy for the rules-only baseline column',
      process.env['ARGUS_POLICY_FILE'] ?? 'deploy/config/policy/default.yaml',
    )
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the summary as JSON')
    .action(async (options: BackfillCommandOptions) => {
      const settings = loadStackSettings();
      const summary = await runBackfill({
        file: options.file,
        format: options.format,
        labelsFile: options.labels,
        out: options.out,
        limit: options.limit,
        maxAmountMajor: options.maxAmountMajor,
        panTokenKey: localPanTokenKey(settings),
        panTokenKeyId: 'k1',
        progress: options.progress !== false && process.stderr.isTTY === true,
        rulesFile: options.rules,
        policyFile: options.policy,
      });
      for (const problem of summary.rejected.slice(0, 20))
        process.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
      if (summary.rejected.length > 20) process.stderr.write(`  … and ${summary.rejected.length - 20} more\n`);
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...summary, rejected: summary.rejected.length })}\n`
          : formatBackfill(summary),
      );
    });
}
