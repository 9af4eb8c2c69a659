import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transaction } from '@argus/contracts';
import {
  BUILT_IN_MAPPINGS,
  builtInMapping,
  HistoryRowError,
  loadMapping,
  mapRow,
  missingColumns,
  type CsvRow,
  type HistoryMapping,
} from '@argus/history';
import type { KafkaRuntime } from '@argus/kafka';
import { currencyExponent, PanTokeniser } from '@argus/transaction';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse';
import type { DecisionTracker } from '../tracking/decision.tracker';

export interface ReplayOptions {
  readonly file: string;
  /** A built-in mapping name or the path of a mapping JSON file. */
  readonly format: string;
  /** Transactions per second; 0 sends as fast as the broker takes them. */
  readonly rate: number;
  readonly limit?: number;
  /** `now`: each transaction happens when it is sent (live services); `original`: the file's own times. */
  readonly timestamps: 'now' | 'original';
  /**
   * Prepended to every transaction id. Ingestion drops a transaction id it has already accepted, so replaying
   * the same file a second time needs a fresh prefix to be decided again.
   */
  readonly idPrefix?: string;
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
  readonly seconds: number;
}

const BATCH = 500;
const TICK_MS = 10;

export function resolveMapping(format: string): HistoryMapping {
  if ((BUILT_IN_MAPPINGS as readonly string[]).includes(format)) return builtInMapping(format);
  if (existsSync(format)) return loadMapping(JSON.parse(readFileSync(format, 'utf8')));
  throw new Error(`--format must be one of ${BUILT_IN_MAPPINGS.join(', ')} or a mapping JSON file; got "${format}"`);
}

function countLines(file: string): number {
  const text = readFileSync(file);
  let lines = 0;
  for (const byte of text) if (byte === 10) lines += 1;
  return Math.max(0, lines - 1);
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
  const mapping = resolveMapping(options.format);
  const tokeniser = new PanTokeniser({ keyId: options.panTokenKeyId, key: Buffer.from(options.panTokenKey, 'utf8') });
  const mapOptions = { tokenise: (pan: string) => tokeniser.tokenise(pan), minorUnitExponent: currencyExponent };
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
  let pending: Transaction[] = [];
  const started = performance.now();

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    for (const transaction of batch) tracker?.sent(transaction.transaction_id);
    await kafka.producer.send(
      'transactions',
      batch.map((transaction) => ({ key: transaction.card_id ?? transaction.customer_id, value: transaction })),
    );
    sent += batch.length;
    const elapsed = (performance.now() - started) / 1000;
    bar?.update(rows, { rate: Math.round(sent / Math.max(elapsed, 0.001)), rejected: rejected.length });
  };

  const parser = createReadStream(options.file).pipe(
    parse({ columns: true, skip_empty_lines: true, relax_quotes: true }),
  );
  let header: string[] | undefined;
  for await (const row of parser as AsyncIterable<CsvRow>) {
    if (options.limit !== undefined && rows >= options.limit) break;
    if (!header) {
      header = Object.keys(row);
      const missing = missingColumns(mapping, header);
      if (missing.length > 0)
        throw new Error(
          `${options.file}: mapping "${mapping.name}" needs columns missing from the file: ${missing.join(', ')}`,
        );
    }
    rows += 1;
    const line = rows + 1; // line 1 is the header
    try {
      const mapped = mapRow(mapping, row, line, mapOptions);
      const original = {
        ...mapped.transaction,
        transaction_id: `${options.idPrefix ?? ''}${mapped.transaction.transaction_id}`,
      };
      const transaction: Transaction =
        options.timestamps === 'now'
          ? {
              ...original,
              event_time: Date.now(),
              attributes: {
                ...original.attributes,
                original_event_time: new Date(original.event_time).toISOString(),
              },
            }
          : original;
      if (mapped.label?.fraud) fraud += 1;
      pending.push(transaction);
    } catch (error) {
      if (!(error instanceof HistoryRowError)) throw error;
      rejected.push({ line, reason: error.message });
    }
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
  return { rows, sent, rejected, labelled_fraud: fraud, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
