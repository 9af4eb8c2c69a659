import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { LabelSource, Transaction } from '@argus/contracts';
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
import { currencyExponent } from '@argus/transaction';
import { parse, type Options as CsvOptions, type Parser } from 'csv-parse';
import { Heap } from 'heap-js';

/** A label as it became known. */
export interface TimelineLabel {
  readonly transactionId: string;
  readonly cardId: string | null;
  readonly fraud: boolean;
  readonly source: LabelSource;
  readonly reportedAt: number;
  readonly eventTime: number | null;
}

export type TimelineItem =
  | {
      readonly kind: 'transaction';
      readonly line: number;
      readonly transaction: Transaction;
      /** The transaction's eventual label (known later), for the training table. */
      readonly label: TimelineLabel | null;
      /** The amount cell was a float rendering of an amount with the currency's places (see readAmount). */
      readonly amountRounded: boolean;
    }
  | { readonly kind: 'label'; readonly label: TimelineLabel }
  | { readonly kind: 'rejected'; readonly line: number; readonly reason: string };

export interface TimelineOptions {
  readonly file: string;
  /** A built-in mapping name or the path of a mapping JSON file. */
  readonly format: string;
  /** Tokenises card numbers as rows are read: no clear PAN goes further. */
  readonly tokenise: (pan: string) => string;
  /** A labels CSV (`transaction_id,label,reported_at[,card_id,source,event_time]`); replaces inline labels. */
  readonly labelsFile?: string;
  readonly limit?: number;
  /**
   * Prepended to every id of the history — transaction, card, customer, account, merchant, terminal, device —
   * and to the labels' ids: the file replayed as a population of its own, which never meets an earlier replay
   * of the same file in the feature state.
   */
  readonly namespace?: string;
}

/** The ids of a transaction that name an entity with behavioural state, or the transaction itself. */
const NAMESPACED_FIELDS = [
  'transaction_id',
  'card_id',
  'customer_id',
  'account_id',
  'merchant_id',
  'terminal_id',
  'device_fingerprint',
] as const;

/** `transaction` with `namespace` before each of its ids (empty ids stay empty). */
export function namespaceTransaction(transaction: Transaction, namespace: string): Transaction {
  if (namespace === '') return transaction;
  const renamed: Record<string, unknown> = { ...transaction };
  for (const field of NAMESPACED_FIELDS) {
    const id = transaction[field];
    if (typeof id === 'string' && id !== '') renamed[field] = `${namespace}${id}`;
  }
  // The receiving account of a transfer is a state entity too (see payeeOf in @argus/features).
  const payee = transaction.attributes['payee_account'];
  if (payee !== undefined && payee !== '')
    renamed['attributes'] = { ...transaction.attributes, payee_account: `${namespace}${payee}` };
  return renamed as unknown as Transaction;
}

/** A history file as the replay, the backfill and the state loader read it. */
export interface HistorySource {
  readonly file: string;
  readonly format: string;
  readonly labelsFile?: string;
  readonly limit?: number;
  readonly namespace?: string;
}

/** The timeline of `source` with its card numbers tokenised by `tokeniser` as rows are read. */
export function tokenisedTimeline(
  source: HistorySource,
  tokeniser: { tokenise(pan: string): string },
): AsyncGenerator<TimelineItem> {
  return historyTimeline({
    file: source.file,
    format: source.format,
    labelsFile: source.labelsFile,
    limit: source.limit,
    namespace: source.namespace,
    tokenise: (pan) => tokeniser.tokenise(pan),
  });
}

export function resolveMapping(format: string): HistoryMapping {
  if ((BUILT_IN_MAPPINGS as readonly string[]).includes(format)) return builtInMapping(format);
  if (existsSync(format)) return loadMapping(JSON.parse(readFileSync(format, 'utf8')));
  throw new Error(`--format must be one of ${BUILT_IN_MAPPINGS.join(', ')} or a mapping JSON file; got "${format}"`);
}

const LABEL_SOURCES: readonly string[] = ['CHARGEBACK', 'ANALYST', 'STEP_UP', 'HISTORY'];

function parseTime(text: string | undefined, what: string, line: number): number {
  const time = Date.parse(text ?? '');
  if (Number.isNaN(time)) throw new Error(`labels line ${line}: ${what} "${text ?? ''}" is not an ISO-8601 time`);
  return time;
}

/**
 * The rows of a CSV file. A read error (a missing file, a folder, no permission) ends the iteration with that
 * error: `pipe` alone would leave the parser waiting for data that never comes.
 */
export function csvFile(file: string, options: CsvOptions): Parser {
  const source = createReadStream(file);
  const parser = parse(options);
  source.on('error', (error) => parser.destroy(error));
  return source.pipe(parser);
}

/** Reads a labels CSV whole (one entry per labelled transaction; a later line for the same id wins). */
export async function readLabelsFile(file: string): Promise<Map<string, TimelineLabel>> {
  const labels = new Map<string, TimelineLabel>();
  let line = 1;
  for await (const row of csvFile(file, { columns: true, skip_empty_lines: true }) as AsyncIterable<
    Record<string, string>
  >) {
    line += 1;
    const value = row['label']?.trim().toUpperCase();
    if (value !== 'FRAUD' && value !== 'LEGITIMATE') {
      throw new Error(`labels line ${line}: label must be FRAUD or LEGITIMATE, got "${row['label'] ?? ''}"`);
    }
    const source = row['source']?.trim().toUpperCase() || 'HISTORY';
    if (!LABEL_SOURCES.includes(source)) throw new Error(`labels line ${line}: unknown source "${source}"`);
    const transactionId = row['transaction_id']?.trim();
    if (!transactionId) throw new Error(`labels line ${line}: transaction_id is empty`);
    labels.set(transactionId, {
      transactionId,
      cardId: row['card_id']?.trim() || null,
      fraud: value === 'FRAUD',
      source: source as LabelSource,
      reportedAt: parseTime(row['reported_at'], 'reported_at', line),
      eventTime: row['event_time'] ? parseTime(row['event_time'], 'event_time', line) : null,
    });
  }
  return labels;
}

/**
 * A history as it happened: its transactions in file order, and each label released just before the first
 * transaction at or after the moment it became known (the rest at the end). Replay and backfill both walk
 * this one timeline, so the live services and the training table see labels at the same points.
 * Rows the mapping cannot read come out as `rejected` with their line number: never silently skipped.
 */
export async function* historyTimeline(options: TimelineOptions): AsyncGenerator<TimelineItem> {
  const mapping = resolveMapping(options.format);
  const fileLabels = options.labelsFile === undefined ? undefined : await readLabelsFile(options.labelsFile);
  const due = new Heap<TimelineLabel>((a, b) => a.reportedAt - b.reportedAt);
  const mapOptions = { tokenise: options.tokenise, minorUnitExponent: currencyExponent };
  const parser = csvFile(options.file, { columns: true, skip_empty_lines: true, relax_quotes: true });
  let rows = 0;
  let header: string[] | undefined;
  for await (const row of parser as AsyncIterable<CsvRow>) {
    if (options.limit !== undefined && rows >= options.limit) break;
    if (header === undefined) {
      header = Object.keys(row);
      const missing = missingColumns(mapping, header);
      if (missing.length > 0) {
        throw new Error(
          `${options.file}: mapping "${mapping.name}" needs columns missing from the file: ${missing.join(', ')}`,
        );
      }
    }
    rows += 1;
    const line = rows + 1; // line 1 is the header
    let mapped;
    try {
      mapped = mapRow(mapping, row, line, mapOptions);
    } catch (error) {
      if (!(error instanceof HistoryRowError)) throw error;
      yield { kind: 'rejected', line, reason: error.message };
      continue;
    }
    const transaction = namespaceTransaction(mapped.transaction, options.namespace ?? '');
    while (due.size() > 0 && due.peek()!.reportedAt <= transaction.event_time)
      yield { kind: 'label', label: due.pop()! };
    let label: TimelineLabel | null = null;
    if (fileLabels !== undefined) {
      const known = fileLabels.get(mapped.transaction.transaction_id);
      // A labels file never holds a card number: the card comes from the (tokenised) transaction.
      if (known !== undefined) {
        label = {
          ...known,
          transactionId: transaction.transaction_id,
          cardId: known.cardId === null ? transaction.card_id : `${options.namespace ?? ''}${known.cardId}`,
          eventTime: known.eventTime ?? transaction.event_time,
        };
      }
    } else if (mapped.label !== null) {
      label = {
        transactionId: transaction.transaction_id,
        cardId: transaction.card_id,
        fraud: mapped.label.fraud,
        source: 'HISTORY',
        reportedAt: mapped.label.reported_at,
        eventTime: transaction.event_time,
      };
    }
    if (label !== null) due.push(label);
    yield { kind: 'transaction', line, transaction, label, amountRounded: mapped.amountRounded };
  }
  while (due.size() > 0) yield { kind: 'label', label: due.pop()! };
}
