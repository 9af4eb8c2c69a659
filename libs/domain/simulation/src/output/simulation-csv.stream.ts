import type { Label } from '@argus/contracts';
import type { Simulation } from '../engine/simulation.engine';
import { TimeOrderedHeap } from '../engine/time-ordered.heap';
import { LABEL_CSV_COLUMNS, labelCsvLine } from './label-csv.format';
import { TRANSACTION_CSV_COLUMNS, transactionCsvLine } from './transaction-csv.format';

/** Text to append to the two files; either may be empty. */
export interface CsvChunk {
  readonly transactions: string;
  readonly labels: string;
}

const ROWS_PER_CHUNK = 2000;

/**
 * The two CSV files of a simulation, as chunks to append in order (headers first). Labels are held until
 * no later transaction can be reported before them — a report never precedes its transaction — so the
 * labels file comes out sorted by `reported_at` while only the labels still pending sit in memory.
 */
export function* simulationCsvChunks(simulation: Simulation): Generator<CsvChunk> {
  yield { transactions: `${TRANSACTION_CSV_COLUMNS.join(',')}\n`, labels: `${LABEL_CSV_COLUMNS.join(',')}\n` };
  const pending = new TimeOrderedHeap<Label>();
  let transactions = '';
  let labels = '';
  let rows = 0;
  for (const row of simulation) {
    const now = row.transaction.event_time;
    while (pending.peekTime() <= now) labels += labelCsvLine(pending.pop() as Label);
    transactions += transactionCsvLine(row);
    if (row.label !== null) pending.push(row.label.reported_at, row.label);
    if (++rows % ROWS_PER_CHUNK === 0) {
      yield { transactions, labels };
      transactions = '';
      labels = '';
    }
  }
  while (pending.size > 0) labels += labelCsvLine(pending.pop() as Label);
  yield { transactions, labels };
}
