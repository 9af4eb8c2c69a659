import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInMapping, mapRow, missingColumns, type CsvRow, type HistoryMapping } from '@argus/history';
import { simulate, simulationCsvChunks, TRANSACTION_CSV_COLUMNS, type SimulationOptions } from '@argus/simulation';
import { currencyExponent, isLuhnValid, normaliseTransaction, PanTokeniser } from '@argus/transaction';
import { parse } from 'csv-parse/sync';
import { runSimulate } from './simulate.command';

const OPTIONS: SimulationOptions = { customers: 300, days: 20, seed: 4, fraudRate: 0.05 };

function transactionsCsv(options: SimulationOptions): string {
  let text = '';
  for (const chunk of simulationCsvChunks(simulate(options))) text += chunk.transactions;
  return text;
}

/** Every column the mapping reads, optional ones included. */
function mappedColumns(mapping: HistoryMapping): Set<string> {
  const specs = [...Object.values(mapping.fields), ...Object.values(mapping.attributes ?? {})];
  return new Set(
    [
      ...specs.map((s) => s?.column),
      mapping.pan?.column,
      mapping.time.column,
      mapping.amount.column,
      mapping.geo?.lat,
      mapping.geo?.lon,
      mapping.geo?.country?.column,
      mapping.geo?.city?.column,
      mapping.label?.column,
      mapping.label?.report_time?.column,
    ].filter((c): c is string => c !== undefined),
  );
}

describe('argus simulate output read back through @argus/history (argus mapping)', () => {
  const mapping = builtInMapping('argus');

  it('has exactly the columns of the argus mapping', () => {
    expect(new Set(TRANSACTION_CSV_COLUMNS)).toEqual(mappedColumns(mapping));
    expect(missingColumns(mapping, [...TRANSACTION_CSV_COLUMNS])).toEqual([]);
  });

  it('maps every row back to the transaction and label the simulation produced', () => {
    const expected = [...simulate(OPTIONS)];
    const rows = parse(transactionsCsv(OPTIONS), { columns: true }) as CsvRow[];
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      const mapped = mapRow(mapping, row, i + 2);
      expect(mapped.transaction).toEqual(expected[i].transaction);
      const label = expected[i].label;
      expect(mapped.label).toEqual(
        label === null ? null : { fraud: label.label === 'FRAUD', reported_at: label.reported_at },
      );
    });
    expect(expected.some((r) => r.fraud)).toBe(true);
  });

  it('with --with-pan, gives Luhn-valid card numbers that replay tokenises', () => {
    const rows = parse(transactionsCsv({ ...OPTIONS, withPan: true }), { columns: true }) as CsvRow[];
    const cards = rows.filter((r) => r['pan'] !== '');
    expect(cards.length).toBeGreaterThan(rows.length * 0.8);
    for (const [i, row] of cards.slice(0, 500).entries()) {
      expect(row['card_id']).toBe('');
      expect(isLuhnValid(row['pan']!)).toBe(true);
      const mapped = mapRow(mapping, row, i + 2, { tokenise: (pan) => `tok_${pan.slice(-4)}` });
      expect(mapped.transaction.pan).toBeNull();
      expect(mapped.transaction.card_id).toBe(`tok_${row['pan']!.slice(-4)}`);
    }
  });
});

describe('argus simulate output through ingestion', () => {
  it('passes ingestion validation as it is, card numbers included', () => {
    const tokeniser = new PanTokeniser({ keyId: 'k1', key: Buffer.from('simulation test key, 32 bytes ok!', 'utf8') });
    for (const { transaction } of simulate({ ...OPTIONS, withPan: true })) {
      const now = transaction.event_time;
      const normalised = normaliseTransaction(transaction, { source: 'KAFKA', now, tokeniser });
      expect(normalised.card_id).not.toBe(transaction.pan);
      expect(currencyExponent(normalised.currency)).toBeDefined();
    }
  });
});

describe('runSimulate', () => {
  let out: string;

  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'argus-simulate-'));
  });

  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('writes transactions.csv, labels.csv and summary.json, identical for the same seed', async () => {
    const first = await runSimulate({ ...OPTIONS, out: join(out, 'a') });
    await runSimulate({ ...OPTIONS, out: join(out, 'b') });
    const read = (run: string, file: string) => readFileSync(join(out, run, file), 'utf8');
    for (const file of ['transactions.csv', 'labels.csv', 'summary.json'])
      expect(read('a', file)).toBe(read('b', file));
    expect(JSON.parse(read('a', 'summary.json'))).toEqual(first.summary);
    expect(read('a', 'transactions.csv').trimEnd().split('\n')).toHaveLength(first.summary.transactions + 1);
    expect(read('a', 'labels.csv').trimEnd().split('\n')).toHaveLength(first.summary.labels.total + 1);
    expect(first.files.map((f) => f.path)).toEqual(
      ['transactions.csv', 'labels.csv', 'summary.json'].map((f) => join(out, 'a', f)),
    );
  });

  it('names the flag of an option the library refuses', async () => {
    await expect(runSimulate({ out, fraudRate: 2 })).rejects.toThrow(/^--fraud-rate must be between 0 and 0.5, got 2$/);
    await expect(runSimulate({ out, scenarios: ['heist'] })).rejects.toThrow(/^--scenarios: unknown scenario heist/);
  });
});
