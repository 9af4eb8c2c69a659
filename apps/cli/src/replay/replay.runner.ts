import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Label, Transaction } from '@argus/contracts';
import type { KafkaRuntime } from '@argus/kafka';
import { PanTokeniser } from '@argus/transaction';
import { SingleBar } from 'cli-progress';
import { tokenisedTimeline, type TimelineLabel } from '../history/history.timeline';
import type { DecisionTracker } from '../tracking/decision.tracker';
import type { GroundTruth } from '../tracking/detection.tally';

export interface ReplayOptions {
  readonly file: string;
  /** A built-in mapping name or the path of a mapping JSON file. */
  readonly format: string;
  /** A labels CSV replacing the labels inside the file. */
  readonly labelsFile?: string;
  /** Transactions per second; 0 sends as fast as the broker takes them. */
  readonly rate: number;
  readonly limit?: number;
  /**
   * `now`: each transaction happens when it is sent (live services), and labels — which would become known in
   * the future — are not sent; `original`: the file's own times, and each label is sent on `labels` at the point
   * of the history where it became known.
   */
  readonly timestamps: 'now' | 'original';
  /**
   * Prepended to every transaction id. Ingestion drops a transaction id it has already accepted, so replaying
   * the same file a second time needs a fresh prefix to be decided again.
   */
  readonly idPrefix?: string;
  /** Prepended to every id of the history (see TimelineOptions.namespace). */
  readonly namespace?: string;
  /**
   * The history before this time (epoch ms) is already in the feature state (`argus state load --until`): its
   * transactions are not sent, nor the labels that became known before it; labels of those transactions
   * reported later are sent when they become known.
   */
  readonly from?: number;
  /**
   * Every fraud of the file carries a FRAUD label (a simulated world): an unlabelled row is legitimate for the
   * caught-fraud tally. Otherwise (a foreign file) only labelled rows are counted.
   */
  readonly everyFraudLabelled?: boolean;
  readonly panTokenKey: string;
  readonly panTokenKeyId: string;
  readonly progress: boolean;
}

export interface RowProblem {
  readonly line: number;
  readonly reason: string;
}

export interface ReplaySummary {
  readonly rows: number;
  readonly sent: number;
  readonly rejected: readonly RowProblem[];
  readonly labelled_fraud: number;
  /** Labels sent on `labels` (with --timestamps original). */
  readonly labels_sent: number;
  /** Labels not sent: they become known after the current time (with --timestamps now, after the replay). */
  readonly labels_not_sent: number;
  /** Rows before `from`: already in the feature state, not sent. */
  readonly skipped_before_from: number;
  /** Amounts written as binary floating point ("85.64999999999999") and read as the amount they stand for. */
  readonly amounts_rounded: number;
  readonly seconds: number;
}

const BATCH = 500;
const TICK_MS = 10;

function countLines(file: string): number {
  const text = readFileSync(file);
  let lines = 0;
  for (const byte of text) if (byte === 10) lines += 1;
  return Math.max(0, lines - 1);
}

function labelRecord(label: TimelineLabel, idPrefix: string): Label {
  return {
    transaction_id: `${idPrefix}${label.transactionId}`,
    card_id: label.cardId ?? '',
    label: label.fraud ? 'FRAUD' : 'LEGITIMATE',
    source: label.source,
    reported_at: label.reportedAt,
    event_time: label.eventTime,
    note: null,
  };
}

/** What a row of the history was: fraud or not when the file says, and the scenario of a simulated row. */
function groundTruth(label: TimelineLabel | null, transaction: Transaction, everyFraudLabelled: boolean): GroundTruth {
  const fraud = label === null ? (everyFraudLabelled ? false : null) : label.fraud;
  return { fraud, scenario: transaction.attributes['scenario'] ?? null };
}

/**
 * Streams a CSV history to the `transactions` topic: each row mapped through the history mapping, its card
 * number tokenised here (no clear PAN ever reaches Kafka), paced at the requested rate. A row the mapping
 * cannot read is reported with its line number and reason, never silently skipped.
 */
export async function replayFile(
  kafka: KafkaRuntime,
  options: ReplayOptions,
  tracker?: DecisionTracker,
): Promise<ReplaySummary> {
  const tokeniser = new PanTokeniser({ keyId: options.panTokenKeyId, key: Buffer.from(options.panTokenKey, 'utf8') });
  const idPrefix = options.idPrefix ?? '';
  const total = Math.min(countLines(options.file), options.limit ?? Number.POSITIVE_INFINITY);
  const bar = options.progress
    ? new SingleBar({
        format: 'replay |{bar}| {value}/{total} rows  {rate}/s  rejected {rejected}',
        stream: process.stderr,
      })
    : undefined;
  bar?.start(total, 0, { rate: 0, rejected: 0 });

  const rejected: RowProblem[] = [];
  let rows = 0;
  let sent = 0;
  let fraud = 0;
  let labelsSent = 0;
  let labelsHeld = 0;
  let skipped = 0;
  let rounded = 0;
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  let pending: Transaction[] = [];
  let pendingLabels: Label[] = [];
  /** What each pending transaction really was, for the tracker's caught-fraud tally. */
  const truth = new Map<string, GroundTruth>();
  const started = performance.now();

  // Transactions first, then the labels that became known after them: the order of the history.
  const flush = async () => {
    const batch = pending;
    const labels = pendingLabels;
    pending = [];
    pendingLabels = [];
    if (batch.length > 0) {
      for (const transaction of batch) tracker?.sent(transaction.transaction_id, truth.get(transaction.transaction_id));
      truth.clear();
      await kafka.producer.send(
        'transactions',
        batch.map((transaction) => ({ key: transaction.card_id ?? transaction.customer_id, value: transaction })),
      );
      sent += batch.length;
    }
    if (labels.length > 0) {
      await kafka.producer.send(
        'labels',
        labels.map((label) => ({ key: label.card_id, value: label })),
      );
      labelsSent += labels.length;
    }
    const elapsed = (performance.now() - started) / 1000;
    bar?.update(rows, { rate: Math.round(sent / Math.max(elapsed, 0.001)), rejected: rejected.length });
  };

  for await (const item of tokenisedTimeline(options, tokeniser)) {
    if (item.kind === 'label') {
      if (item.label.reportedAt < from) continue; // known before the replayed part: in the state already
      // A label becomes known at reported_at: one in the future is not known yet, live or replayed.
      if (options.timestamps === 'original' && item.label.reportedAt <= Date.now()) {
        if (pending.length > 0 && pendingLabels.length === 0) await flush();
        pendingLabels.push(labelRecord(item.label, idPrefix));
      } else {
        labelsHeld += 1;
      }
      continue;
    }
    rows += 1;
    if (item.kind === 'rejected') {
      rejected.push({ line: item.line, reason: item.reason });
      continue;
    }
    if (item.transaction.event_time < from) {
      skipped += 1;
      continue;
    }
    if (item.amountRounded) rounded += 1;
    if (pendingLabels.length > 0) await flush();
    const original = { ...item.transaction, transaction_id: `${idPrefix}${item.transaction.transaction_id}` };
    const transaction: Transaction =
      options.timestamps === 'now'
        ? {
            ...original,
            event_time: Date.now(),
            attributes: { ...original.attributes, original_event_time: new Date(original.event_time).toISOString() },
          }
        : original;
    if (item.label?.fraud) fraud += 1;
    if (tracker !== undefined)
      truth.set(transaction.transaction_id, groundTruth(item.label, transaction, options.everyFraudLabelled === true));
    pending.push(transaction);
    if (options.rate > 0) {
      // Pace: never ahead of rate × elapsed.
      while (sent + pending.length > ((performance.now() - started) / 1000) * options.rate) {
        await flush();
        await sleep(TICK_MS);
      }
    } else if (pending.length >= BATCH) {
      await flush();
    }
  }
  await flush();
  bar?.update(rows, { rejected: rejected.length });
  bar?.stop();
  return {
    rows,
    sent,
    rejected,
    labelled_fraud: fraud,
    labels_sent: labelsSent,
    labels_not_sent: labelsHeld,
    skipped_before_from: skipped,
    amounts_rounded: rounded,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
