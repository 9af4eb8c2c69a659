import { RuleSetError, formatProblem } from '@argus/rules';
import { localPanTokenKey, loadStackSettings } from '@argus/testing';
import type { Command } from 'commander';
import { checkRuleSetFile, formatRuleSetCheck } from '../rules/rule-set.check';
import { formatBacktest } from '../rules/rules-backtest.report';
import { runRulesBacktest, type RulesBacktestReport } from '../rules/rules.backtest';
import { positiveInt } from './bench.command';

interface RulesTestCommandOptions {
  rules: string;
  against: string;
  policy: string;
  file: string;
  format: string;
  labels?: string;
  limit?: number;
  maxAmountMajor?: number;
  json?: boolean;
}

/** Prints every problem of a refused rule set as `file:line:col: message` and fails the command. */
function reportRefusedRuleSet(error: RuleSetError): void {
  for (const problem of error.errors) process.stderr.write(`${formatProblem(error.sourceName, problem)}\n`);
  process.exitCode = 1;
}

/** `argus rules check` and `argus rules test`: a rule-set change checked and backtested before it goes live. */
export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('Check and backtest rule sets before they go live');

  rules
    .command('check')
    .description('Parse rule-set files as the rules service would; print every problem with its line and column')
    .argument('<files...>', 'rule-set YAML files')
    .option('--json', 'print one JSON object')
    .action((files: string[], options: { json?: boolean }) => {
      const checks = files.map(checkRuleSetFile);
      const ok = checks.every((check) => check.ok);
      process.stdout.write(
        options.json ? `${JSON.stringify({ ok, files: checks })}\n` : checks.map(formatRuleSetCheck).join(''),
      );
      if (!ok) process.exitCode = 1;
    });

  rules
    .command('test')
    .description(
      'Backtest a candidate rule set against the current one on a labelled history, replayed as backfill replays it',
    )
    .requiredOption('--rules <path>', 'candidate rule set')
    .option(
      '--against <path>',
      'current rule set',
      process.env['ARGUS_RULES_FILE'] ?? 'deploy/config/rules/default.yaml',
    )
    .option(
      '--policy <path>',
      'decision policy (rules only: no model score)',
      process.env['ARGUS_POLICY_FILE'] ?? 'deploy/config/policy/default.yaml',
    )
    .requiredOption('--file <path>', 'transactions CSV (the history)')
    .option('--format <name|mapping.json>', 'argus, sparkov, paysim, or a mapping JSON file', 'argus')
    .option('--labels <path>', 'labels CSV (transaction_id,label,reported_at[,…]); default: labels in the file')
    .option('--limit <n>', 'stop after this many rows', positiveInt)
    .option(
      '--max-amount-major <n>',
      "largest accepted amount (major units), as ingestion's ARGUS_MAX_AMOUNT_MAJOR; larger rows are rejected",
      positiveInt,
      Number(process.env['ARGUS_MAX_AMOUNT_MAJOR'] ?? 1_000_000),
    )
    .option('--json', 'print the report as one JSON object')
    .action(async (options: RulesTestCommandOptions) => {
      const settings = loadStackSettings();
      let report: RulesBacktestReport;
      try {
        report = await runRulesBacktest({
          candidateFile: options.rules,
          currentFile: options.against,
          policyFile: options.policy,
          file: options.file,
          format: options.format,
          labelsFile: options.labels,
          limit: options.limit,
          maxAmountMajor: options.maxAmountMajor,
          panTokenKey: localPanTokenKey(settings),
          panTokenKeyId: 'k1',
        });
      } catch (error) {
        if (!(error instanceof RuleSetError)) throw error;
        reportRefusedRuleSet(error);
        return;
      }
      for (const problem of report.history.rejected.slice(0, 20))
        process.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
      if (report.history.rejected.length > 20)
        process.stderr.write(`  … and ${report.history.rejected.length - 20} more\n`);
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...report, history: { ...report.history, rejected: report.history.rejected.length } })}\n`
          : formatBacktest(report),
      );
    });
}
