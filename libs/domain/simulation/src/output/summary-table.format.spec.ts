import { simulate } from '../engine/simulation.engine';
import { formatSummaryTable } from './summary-table.format';

describe('formatSummaryTable', () => {
  it('prints one aligned row per scenario under a header of the same columns, then the totals', () => {
    const simulation = simulate({ customers: 200, days: 10, seed: 3, fraudRate: 0.05 });
    for (const _ of simulation);
    const summary = simulation.summary();
    const lines = formatSummaryTable(summary).split('\n');
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    const header = cells(lines[0]);
    expect(header).toEqual(expect.arrayContaining(['scenario', 'txns', 'fraud', 'amount USD', 'delay p90']));
    const rows = lines.slice(2, 2 + summary.scenarios.length);
    expect(rows.map((row) => cells(row)[0])).toEqual(summary.scenarios.map((s) => s.scenario));
    for (const row of rows) {
      expect(cells(row)).toHaveLength(header.length);
      expect(row.length).toBe(lines[0].length);
    }
    expect(lines[2 + summary.scenarios.length + 1]).toContain(
      `${summary.transactions.toLocaleString('en-US')} transactions`,
    );
  });
});
