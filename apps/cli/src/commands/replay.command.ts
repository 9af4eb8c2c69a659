import type { Decision } from '@argus/contracts';
import { localPanTokenKey, loadStackSettings } from '@argus/testing';
import { currencyExponent } from '@argus/transaction';
import { InvalidArgumentError, type Command } from 'commander';
import { openKafkaSession } from '../kafka.session';
import { replayFile, type ReplaySummary } from '../replay/replay.runner';
import { DecisionTracker } from '../tracking/decision.tracker';
import { formatDetection } from '../tracking/detection.tally';
import { isoTime } from './state.command';

function nonNegativeInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

export interface ReplayCommandOptions {
  file: string;
  format: string;
  labels?: string;
  rate: number;
  limit?: number;
  timestamps: 'now' | 'original';
  idPrefix?: string;
  namespace?: string;
  from?: number;
  everyFraudLabelled?: boolean;
  track?: boolean;
  progress?: boolean;
}

export function printRejected(summary: ReplaySummary): void {
  for (const problem of summary.rejected.slice(0, 20))
    process.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
  if (summary.rejected.length > 20) process.stderr.write(`  … and ${summary.rejected.length - 20} more\n`);
}

/** Replays a CSV to `transactions`; with --track, waits for and summarises the decisions. */
export async function runReplay(
  options: ReplayCommandOptions,
): Promise<{ summary: ReplaySummary; tracker?: DecisionTracker }> {
  const settings = loadStackSettings();
  const kafka = await openKafkaSession(['transactions', 'decisions', 'labels']);
  const tracker = options.track ? new DecisionTracker(kafka.kafka, kafka.serde) : undefined;
  try {
    await tracker?.start();
    const summary = await replayFile(
      kafka,
      {
        file: options.file,
        format: options.format,
        labelsFile: options.labels,
        rate: options.rate,
        limit: options.limit,
        timestamps: options.timestamps,
        idPrefix: options.idPrefix,
        namespace: options.namespace,
        from: options.from,
        everyFraudLabelled: options.everyFraudLabelled,
        panTokenKey: localPanTokenKey(settings),
        panTokenKeyId: 'k1',
        progress: options.progress !== false && process.stderr.isTTY === true,
      },
      tracker,
    );
    if (tracker) {
      const deadline = Date.now() + 60_000;
      while (tracker.outstanding > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    return { summary, tracker };
  } finally {
    await tracker?.stop();
    await kafka.stop();
  }
}

/** One line: outcome, transaction, amount, and the reasons with their rule or feature codes. */
export function formatDecision(decision: Decision): string {
  const { transaction: txn } = decision;
  const exponent = currencyExponent(txn.currency) ?? 2;
  const amount = `${(txn.amount_minor / 10 ** exponent).toFixed(exponent)} ${txn.currency}`;
  const reasons = decision.reasons.map((reason) => `${reason.code}: ${reason.message}`).join('; ');
  return `${decision.outcome.padEnd(6)} ${decision.transaction_id} ${amount} at ${txn.merchant_id} — ${reasons || 'no reason given'}`;
}

export function formatReplay(summary: ReplaySummary, tracker?: DecisionTracker): string {
  const lines = [
    `replayed ${summary.sent} of ${summary.rows} rows in ${summary.seconds} s (${summary.rejected.length} rejected, ${summary.labelled_fraud} labelled fraud)`,
  ];
  if (summary.skipped_before_from > 0)
    lines.push(`rows before --from, already in the feature state, not sent: ${summary.skipped_before_from}`);
  if (summary.amounts_rounded > 0)
    lines.push(
      `amounts written as binary floating point, read as the amount they stand for: ${summary.amounts_rounded}`,
    );
  if (summary.labels_sent > 0) lines.push(`labels sent on \`labels\` as they became known: ${summary.labels_sent}`);
  if (summary.labels_not_sent > 0)
    lines.push(`labels not sent: ${summary.labels_not_sent} (they become known later than now)`);
  if (tracker) {
    const latency = tracker.latency();
    lines.push(
      `decisions: ${tracker.decided} — APPROVE ${tracker.outcomes.APPROVE}, REVIEW ${tracker.outcomes.REVIEW}, BLOCK ${tracker.outcomes.BLOCK}; ${tracker.outstanding} undecided`,
      `latency sent → decision: p50 ${latency.p50_ms} ms, p95 ${latency.p95_ms} ms, p99 ${latency.p99_ms} ms, max ${latency.max_ms} ms`,
    );
    // Fallbacks are what an overloaded machine shows first: features without state, rules without a score.
    if (tracker.degraded.size > 0)
      lines.push(
        `decided with something missing: ${[...tracker.degraded]
          .sort(([, a], [, b]) => b - a)
          .map(([what, count]) => `${what} ${count}`)
          .join(', ')}`,
      );
    const detection = formatDetection(tracker.detection.summary());
    if (detection !== '') lines.push(detection.trimEnd());
    if (tracker.samples.length > 0) lines.push('examples of REVIEW / BLOCK decisions:');
    for (const decision of tracker.samples) lines.push(`  ${formatDecision(decision)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('Stream a CSV history to the transactions topic (card numbers are tokenised before sending)')
    .requiredOption('--file <path>', 'CSV file')
    .option('--format <name|mapping.json>', 'argus, sparkov, paysim, or a mapping JSON file', 'argus')
    .option(
      '--labels <path>',
      'labels CSV (transaction_id,label,reported_at[,source,card_id,event_time]); default: labels in the file',
    )
    .option('--rate <n>', 'transactions per second (0: as fast as possible)', nonNegativeInt, 0)
    .option('--limit <n>', 'stop after this many rows', nonNegativeInt)
    .option('--timestamps <mode>', "now: event time = send time (live services); original: the file's times", 'now')
    .option(
      '--id-prefix <text>',
      'prefix transaction ids (a second replay of a file is otherwise dropped as duplicates)',
    )
    .option(
      '--namespace <text>',
      'prefix every id of the history (cards, customers, merchants…): a population of its own in the feature state',
    )
    .option(
      '--from <iso>',
      'send only what happened from this time on (the history before it loaded with `argus state load --until`)',
      isoTime,
    )
    .option(
      '--every-fraud-labelled',
      'the file labels every fraud (argus simulate does): count unlabelled rows as legitimate when tracking',
    )
    .option('--track', 'wait for each decision and print outcomes, latency and, when the file says, frauds caught')
    .option('--no-progress', 'no progress bar')
    .action(async (options: ReplayCommandOptions) => {
      if (options.timestamps !== 'now' && options.timestamps !== 'original') {
        throw new InvalidArgumentError('--timestamps must be now or original');
      }
      const { summary, tracker } = await runReplay(options);
      printRejected(summary);
      process.stdout.write(formatReplay(summary, tracker));
      if (tracker && tracker.outstanding > 0) process.exitCode = 1;
    });
}
