import { simulate } from '../engine/simulation.engine';
import { LABEL_CSV_COLUMNS } from './label-csv.format';
import { simulationCsvChunks } from './simulation-csv.stream';
import { TRANSACTION_CSV_COLUMNS, csvCell } from './transaction-csv.format';

function files(options: Parameters<typeof simulate>[0]) {
  let transactions = '';
  let labels = '';
  for (const chunk of simulationCsvChunks(simulate(options))) {
    transactions += chunk.transactions;
    labels += chunk.labels;
  }
  const split = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => line.split(','));
  return { transactions: split(transactions), labels: split(labels) };
}

describe('simulationCsvChunks', () => {
  const { transactions, labels } = files({ customers: 300, days: 15, seed: 2, fraudRate: 0.05 });
  const column = (name: (typeof TRANSACTION_CSV_COLUMNS)[number]) => TRANSACTION_CSV_COLUMNS.indexOf(name);

  it('writes the argus columns, one cell per column on every line', () => {
    expect(transactions[0]).toEqual([...TRANSACTION_CSV_COLUMNS]);
    expect(labels[0]).toEqual([...LABEL_CSV_COLUMNS]);
    for (const line of transactions) expect(line).toHaveLength(TRANSACTION_CSV_COLUMNS.length);
    for (const line of labels) expect(line).toHaveLength(LABEL_CSV_COLUMNS.length);
  });

  it('writes the labels sorted by report time, the same labels the transactions carry inline', () => {
    const body = labels.slice(1);
    const reported = body.map((l) => l[4]);
    expect(reported).toEqual([...reported].sort());
    const inline = transactions
      .slice(1)
      .filter((t) => t[column('is_fraud')] !== '')
      .map((t) => [
        t[column('transaction_id')],
        t[column('card_id')],
        t[column('is_fraud')] === '1' ? 'FRAUD' : 'LEGITIMATE',
        t[column('label_reported_at')],
        t[column('event_time')],
      ]);
    const fromFile = body.map((l) => [l[0], l[1], l[2], l[4], l[5]]);
    const byId = (a: string[], b: string[]) => (a[0] < b[0] ? -1 : 1);
    expect(fromFile.sort(byId)).toEqual(inline.sort(byId));
    expect(body.every((l) => l[4] > l[5])).toBe(true);
  });

  it('quotes a cell only when it must', () => {
    expect(csvCell('Paris')).toBe('Paris');
    expect(csvCell('Washington, D.C.')).toBe('"Washington, D.C."');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
  });
});
